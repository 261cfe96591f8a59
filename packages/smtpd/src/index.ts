/** @switchboard/smtpd: the mail channel (commands by e-mail, forwarding of other mail). */
export {
  startSmtpChannel,
  type SmtpChannelHandle,
  type SmtpChannelOptions,
} from './smtp-channel.js';
