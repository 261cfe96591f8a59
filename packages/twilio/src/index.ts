/** @switchboard/twilio: SMS and voice webhooks as an express Router, and the keypad codec. */
export { createTwilioRouter } from './router.js';
export {
  decodeDtmf,
  decodeDtmfVerbose,
  encodeDtmf,
  canEncodeDtmf,
  DtmfEncodeError,
  DTMF_ALPHABET,
  type DtmfDecoding,
  type DtmfEncoding,
  type DtmfStep,
} from './dtmf.js';
export { spellPhonetically, PHONETIC_PREFIX } from './phonetic.js';
export { publicRouteUrl, MOUNT_PATH } from './signature.js';
