/** `.2` two-factor codes (DESIGN §3): `name: previous current next` for each matching account. */
import { AppError } from '../errors.js';
import { codeOfBase32, stepAt } from '../auth/totp.js';
import { defineApp, type App } from './app.js';
import { tableSettings } from './table-settings.js';

/** `apps.twoFA`. */
export interface TwoFaSettings {
  /** Account name → base32 secret. */
  readonly accounts: Readonly<Record<string, string>>;
}

/** The `.2` app; sensitive, so its input never reaches a log line. */
export const twoFaApp: App<TwoFaSettings, 'twoFA'> = defineApp({
  trigger: '.2',
  name: 'two-factor codes',
  sensitive: true,
  docs: { enabled: 'when `apps.twoFA.accounts` has one' },
  settings: tableSettings({
    key: 'twoFA',
    table: 'accounts',
    description: 'Account name → base32 TOTP secret (as shown when enrolling).',
    entry: {
      type: 'string',
      pattern: '^[A-Za-z2-7= ]{16,}$',
      expect: 'a base32 secret of 16+ characters',
    },
  }),
  isConfigured: (config) => Object.keys(config.apps.twoFA.accounts).length > 0,
  execute(input, ctx) {
    const search = input.toLowerCase();
    const step = stepAt(Date.now());
    const lines: string[] = [];
    for (const [name, secret] of Object.entries(ctx.config.apps.twoFA.accounts)) {
      if (!name.toLowerCase().includes(search)) continue;
      let codes: string[];
      try {
        codes = [step - 1, step, step + 1].map((s) => codeOfBase32(secret, s));
      } catch {
        throw new AppError(`account "${name}" has an invalid secret (base32, 16+ characters)`);
      }
      lines.push(`${name}: ${codes.join(' ')}`);
    }
    if (lines.length === 0) throw new AppError(`no account matches "${input}"`);
    return Promise.resolve(lines.join('\n'));
  },
});
