/** `.m` send mail (DESIGN §3): `.m to@example.com "subject" body`, through the outbox. */
import { AppError } from '../errors.js';
import { defineApp, NO_SETTINGS_SCHEMA, type NoSettings, type App } from './app.js';

const USAGE = 'usage: .m to@example.com "subject" body';
// The subject runs to the last quote on the line, so it may itself contain quotes.
const SEND_MAIL = /^([^\s@"]+@[^\s@"]+\.[^\s@"]+)\s*"(.*)"\s*([\s\S]*)$/;

/** The `.m` app. */
export const sendMailApp: App<NoSettings, 'sendMail'> = defineApp({
  trigger: '.m',
  name: 'send mail',
  docs: { enabled: 'when `mail.smtp` is set' },
  settings: { key: 'sendMail', schema: NO_SETTINGS_SCHEMA, defaults: {} },
  isConfigured: (config) => config.mail.smtp !== undefined,
  async execute(input, ctx) {
    const m = SEND_MAIL.exec(input);
    if (m === null) throw new AppError(USAGE);
    const [, to = '', subject = '', body = ''] = m;
    const id = await ctx.services.mail.enqueue({ to: [to], subject, text: body });
    return `queued for ${to} (${Array.from(body).length} characters, id ${id})`;
  },
});
