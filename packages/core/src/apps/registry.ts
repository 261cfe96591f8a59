/**
 * The app registry: adding an app is one file and one line here. Config `apps` (its type,
 * schema and defaults) and docs/apps.md's table are derived from this list. Checked at boot for
 * duplicate or prefix-clashing triggers, which would make dispatch ambiguous.
 */
import type { App, SettingsOf } from './app.js';
import { contactsApp } from './contacts.js';
import { aesSearchApp } from './aes-search.js';
import { environmentApp } from './environment.js';
import { imapApp } from './imap.js';
import { messageBankApp } from './message-bank.js';
import { namedCommandsApp } from './named-commands.js';
import { phoneApp } from './phone.js';
import { rssApp } from './rss.js';
import { sendMailApp } from './send-mail.js';
import { shellApp } from './shell.js';
import { textSearchApp } from './text-search.js';
import { twoFaApp } from './two-fa.js';
import { wolframAlphaApp } from './wolfram-alpha.js';

/** Every built-in app. */
export const APPS = [
  shellApp,
  environmentApp,
  twoFaApp,
  sendMailApp,
  namedCommandsApp,
  phoneApp,
  wolframAlphaApp,
  contactsApp,
  messageBankApp,
  rssApp,
  textSearchApp,
  aesSearchApp,
  imapApp,
] as const satisfies readonly App[];

/** Config `apps`: each built-in app's settings at its key. */
export type AppsConfig = SettingsOf<typeof APPS>;

/** Problems with a trigger list: duplicates, prefixes of one another, or malformed triggers. */
export function triggerProblems(apps: readonly App[]): string[] {
  const problems: string[] = [];
  const triggers = apps.map((a) => a.trigger.toLowerCase());
  triggers.forEach((t, i) => {
    if (!/^\.[a-z0-9]+$/.test(t)) problems.push(`app "${apps[i]?.name ?? t}": bad trigger "${t}"`);
    triggers.forEach((other, j) => {
      if (i < j && (t.startsWith(other) || other.startsWith(t))) {
        problems.push(
          `apps "${apps[i]?.name ?? t}" and "${apps[j]?.name ?? other}": triggers "${t}" and "${other}" clash`,
        );
      }
    });
  });
  return problems;
}
