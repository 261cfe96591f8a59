/**
 * The Twilio channel as an express Router, mounted by the daemon at `/twilio` on the HTTP
 * channel: `POST /sms`, `POST /voice` (a call starts), `POST /voice/digits` (keys typed).
 * Every request must carry Twilio's signature; nothing runs without it.
 *
 *   body (64 KiB) → channel enabled? (404) → signature (403) → route → one reply function
 */
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import {
  clientErrorStatus,
  keepIncoming,
  type IncomingMessage,
  type PipelineError,
  type Result,
  type Runtime,
  type TwilioConfig,
} from '@switchboard/core';
import { decodeDtmf } from './dtmf.js';
import { PHONETIC_PREFIX } from './phonetic.js';
import { isSignedByTwilio, publicRouteUrl } from './signature.js';
import { replySms } from './sms-reply.js';
import { replyVoice, type VoiceAnswer } from './voice-reply.js';

/** Twilio's form posts are a few KiB; anything near this is not from Twilio. */
const BODY_LIMIT = '64kb';

/** Rate-limit bucket for new calls, apart from the commands' own (`source:twilio`). */
const CALL_BUCKET = 'call:twilio';

/** Source of a request without a `From` (it shares one budget rather than none). */
const UNKNOWN_SOURCE = 'unknown';

/** A verified request: the settings in force, the caller and the form fields. */
interface TwilioRequest {
  readonly settings: TwilioConfig;
  readonly from: string;
  readonly field: (name: string) => string;
}

/**
 * The Twilio webhooks. Reads `runtime.config().twilio` per request (reload may change it);
 * throws at creation when the block, `authToken` or `publicUrl` is missing, so the daemon
 * refuses to start rather than serve webhooks it cannot verify.
 */
export function createTwilioRouter(runtime: Runtime): Router {
  requireSettings(runtime.config().twilio);
  const logger = runtime.services.logger;
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: BODY_LIMIT }));

  /** Wraps a route: the channel must be enabled and the request signed by Twilio. */
  const verified =
    (handle: (twilioReq: TwilioRequest, res: Response) => Promise<void>): RequestHandler =>
    async (req, res) => {
      const settings = runtime.config().twilio;
      if (settings === undefined || !settings.enabled || !hasSecrets(settings)) {
        // Disabled by a reload: answer as if the router were not mounted.
        res.status(404).type('text/plain').send('twilio channel is disabled\n');
        return;
      }
      const body: unknown = req.body;
      const params = isRecord(body) ? body : {};
      const url = publicRouteUrl(settings.publicUrl, req.url);
      if (!isSignedByTwilio(settings.authToken, req.get('X-Twilio-Signature'), url, params)) {
        runtime.services.refusals.refused(
          'twilio-signature',
          'twilio request refused: invalid signature',
          {
            channel: 'twilio',
            ip: req.ip,
            url,
            signed: req.get('X-Twilio-Signature') !== undefined,
          },
        );
        res.status(403).type('text/plain').send('invalid Twilio signature\n');
        return;
      }
      const field = (name: string): string => {
        const value = params[name];
        return typeof value === 'string' ? value : '';
      };
      const from = field('From').trim() || UNKNOWN_SOURCE;
      await handle({ settings, from, field }, res);
    };

  /**
   * A text or call that was not a command (and counted as a failed login): a message for the
   * owner, kept in the bank if they keep that kind.
   */
  const keepIfNotCommand = async (
    result: Result,
    message: Omit<IncomingMessage, 'channel'>,
  ): Promise<void> => {
    if (result.error?.code !== 'INVALID_LOGIN') return;
    await keepIncoming(runtime.config(), logger, { ...message, channel: 'twilio' });
  };

  router.post(
    '/sms',
    verified(async ({ settings, from, field }, res) => {
      const result = await runtime.process({
        channel: 'twilio',
        source: from,
        content: field('Body'),
        timeoutSec: settings.timeoutSec,
      });
      await keepIfNotCommand(result, { kind: 'sms', source: from, text: field('Body') });
      replySms(res, logger, from, result);
    }),
  );

  router.post(
    '/voice',
    verified(async ({ settings, from }, res) => {
      // Refused calls are rejected before they are answered, so they cost nothing.
      const refusal = await runtime.admit({
        channel: 'twilio',
        source: from,
        bucket: CALL_BUCKET,
        rateLimit: settings.rateLimit,
      });
      const answer: VoiceAnswer =
        refusal === undefined
          ? { kind: 'greeting', greeting: settings.greeting, action: digitsUrl(settings) }
          : { kind: 'reject', why: rejection(refusal) };
      replyVoice(res, logger, from, answer);
    }),
  );

  router.post(
    '/voice/digits',
    verified(async ({ settings, from, field }, res) => {
      const digits = field('Digits').trim();
      const phonetic = digits.startsWith(PHONETIC_PREFIX);
      const content = decodeDtmf(phonetic ? digits.slice(PHONETIC_PREFIX.length) : digits);
      const result = await runtime.process({
        channel: 'twilio',
        source: from,
        content,
        timeoutSec: settings.timeoutSec,
      });
      await keepIfNotCommand(result, { kind: 'voice', source: from, text: content });
      replyVoice(res, logger, from, {
        kind: 'result',
        result,
        phonetic,
        action: digitsUrl(settings),
      });
    }),
  );

  // Body-parser refusals (413, 400, 415) as plain text; express's default would print a stack.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = clientErrorStatus(err);
    if (status === undefined) logger.error({ err, channel: 'twilio' }, 'twilio webhook failed');
    // A reply already under way cannot change its status; express closes the socket.
    if (res.headersSent) return;
    res
      .status(status ?? 500)
      .type('text/plain')
      .send(status === undefined ? 'internal error\n' : `request refused (${String(status)})\n`);
  });
  return router;
}

/** Why a call is rejected, from its admission refusal. */
function rejection(refusal: PipelineError): 'unavailable' | 'banned' | 'rateLimited' {
  if (refusal.replyClass === 'unavailable') return 'unavailable';
  return refusal.code === 'BANNED' ? 'banned' : 'rateLimited';
}

/** Gather's action: absolute, so it does not depend on how the proxy rewrites paths. */
function digitsUrl(settings: TwilioConfig): string {
  return publicRouteUrl(settings.publicUrl, '/voice/digits');
}

/** Throws the start-up error for a missing block or secret. */
function requireSettings(settings: TwilioConfig | undefined): asserts settings is TwilioConfig {
  if (settings === undefined) {
    throw new Error('twilio: the config has no twilio block; add one with authToken and publicUrl');
  }
  const missing = [
    settings.authToken === '' ? 'twilio.authToken' : undefined,
    settings.publicUrl === '' ? 'twilio.publicUrl' : undefined,
  ].filter((key) => key !== undefined);
  if (missing.length > 0) {
    throw new Error(
      `twilio: ${missing.join(' and ')} must be set: without them no request can be verified`,
    );
  }
}

/** Whether both secrets are present (a reload may have emptied one). */
function hasSecrets(settings: TwilioConfig): boolean {
  return settings.authToken !== '' && settings.publicUrl !== '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
