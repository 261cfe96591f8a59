/**
 * `.i` through the pipeline against a real dovecot on loopback (started here, stopped by PID):
 * listing, reading and decoding, over implicit TLS and STARTTLS, and every bad input as one line.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { testConfig, testRig, type TestRig } from '../harness.js';
import { DovecotServer, freePort } from '../testing.js';
import { imapApp } from './imap.js';

const PASSWORD = 'pw-imap';
// A space and a quote: laitos' unquoted LOGIN would break on it.
const MAIL_PASSWORD = 's3cret pass "q"';
const WRONG_PASSWORD = 'not-the-password-9f2c';

/** A mail with CRLF line ends; latin1 so a test can write any byte. */
const mail = (headers: readonly string[], body: string): Buffer =>
  Buffer.from([...headers, 'To: alice@example.com', '', body].join('\r\n'), 'latin1');

/** Alice's INBOX, oldest (1) first. */
const INBOX: readonly Buffer[] = [
  mail(['From: Ann <ann@example.com>', 'Subject: Plain hello'], 'Hello,\r\nsee you at 8.'),
  mail(
    [
      'From: =?UTF-8?Q?Bj=C3=B6rn?= <bjorn@example.org>',
      'Subject: =?ISO-8859-1?Q?Caf=E9_tonight=3F?=',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
    ],
    'Caf=C3=A9 at 8, or a long line that is soft=\r\n-wrapped.',
  ),
  mail(
    [
      'From: carol@example.net',
      `Subject: =?UTF-8?B?${Buffer.from('Grüße aus Köln').toString('base64')}?=`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
    ],
    Buffer.from('Viele Grüße!').toString('base64'),
  ),
  mail(
    [
      'From: Dan <dan@example.com>',
      'Subject: Both kinds',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
    ],
    [
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The plain part.',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>The <b>HTML</b> part.</p>',
      '--b1--',
      '',
    ].join('\r\n'),
  ),
  mail(
    [
      'From: eve@example.com',
      'Subject: =?KOI8-R?B?8NLJ18XU?=',
      'Content-Type: text/plain; charset=koi8-r',
      'Content-Transfer-Encoding: 8bit',
    ],
    Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, 0x21]).toString('latin1'),
  ),
  mail(
    ['From: news@example.com', 'Subject: Only HTML', 'Content-Type: text/html; charset=utf-8'],
    '<html><body><h1>News</h1><p>Meeting <i>moved</i> to 9.</p></body></html>',
  ),
];

/** A mail bigger than what `.ir` fetches: a text part, then a 5 MiB attachment. */
const BIG = mail(
  [
    'From: carol@example.net',
    `Subject: ${'x'.repeat(300)}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b2"',
  ],
  [
    '--b2',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Report attached.',
    '--b2',
    'Content-Type: application/octet-stream; name="big.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.alloc(5 * 1024 * 1024)
      .toString('base64')
      .replace(/.{76}/g, '$&\r\n'),
    '--b2--',
    '',
  ].join('\r\n'),
);

describe('.i against dovecot', () => {
  let dovecot: DovecotServer;
  let rig: TestRig;
  let accounts: Record<string, Record<string, unknown>>;

  before(async () => {
    dovecot = await DovecotServer.start({
      alice: { password: MAIL_PASSWORD, messages: INBOX },
      bob: { password: MAIL_PASSWORD, messages: [] },
      carol: { password: MAIL_PASSWORD, messages: [BIG] },
    });
    const alice = { host: '127.0.0.1', user: 'alice', password: MAIL_PASSWORD, ca: dovecot.caPath };
    accounts = {
      'work-mail': { ...alice, port: dovecot.imapsPort },
      upgrade: { ...alice, port: dovecot.imapPort, tls: 'starttls' },
      empty: { ...alice, user: 'bob', port: dovecot.imapsPort },
      big: { ...alice, user: 'carol', port: dovecot.imapsPort },
      'no-ca': { ...alice, ca: undefined, port: dovecot.imapsPort },
      wrong: { ...alice, password: WRONG_PASSWORD, port: dovecot.imapsPort },
      down: { ...alice, port: await freePort() },
      elsewhere: { ...alice, mailbox: 'Archive', port: dovecot.imapsPort },
      lost: { ...alice, port: dovecot.imapsPort, ca: '/nonexistent/ca.pem' },
    };
    rig = testRig({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      apps: { imap: { accounts } },
    });
  });
  after(() => dovecot.stop());

  let sent = 0;
  // From a new source each time, under the per-source rate limit.
  const run = async (command: string): Promise<string> =>
    (await rig.run(`${PASSWORD} ${command}`, { source: `198.51.100.${String(++sent)}` }))
      .combinedOutput;

  it('lists the newest messages first, subjects and senders decoded', async () => {
    assert.equal(
      await run('.il work-mail 0 10'),
      [
        '6 news@example.com Only HTML',
        '5 eve@example.com Привет',
        '4 dan@example.com Both kinds',
        '3 carol@example.net Grüße aus Köln',
        '2 bjorn@example.org Café tonight?',
        '1 ann@example.com Plain hello',
      ].join('\n'),
    );
  });

  it('skips from the newest and clamps COUNT to at least 1', async () => {
    assert.equal(
      await run('.il work-mail 1 2'),
      '5 eve@example.com Привет\n4 dan@example.com Both kinds',
    );
    assert.equal(await run('.IL work-mail 5 0'), '1 ann@example.com Plain hello');
  });

  it('reads each message as decoded plain text', async () => {
    const expected = [
      'Hello,\nsee you at 8.',
      'Café at 8, or a long line that is soft-wrapped.',
      'Viele Grüße!',
      'The plain part.',
      'Привет!',
    ];
    for (const [i, text] of expected.entries()) {
      assert.equal(await run(`.ir work-mail ${String(i + 1)}`), text);
    }
    const html = await run('.ir work-mail 6');
    assert.match(html, /NEWS[\s\S]*Meeting moved to 9\./i);
    assert.doesNotMatch(html, /[<>]/);
  });

  it('cuts a long subject, and reads only the first 4 MiB of a big message', async () => {
    assert.equal(await run('.il big 0 1'), `1 carol@example.net ${'x'.repeat(199)}…`);
    assert.equal(
      await run('.ir big 1'),
      `Report attached.\n[read the first 4194304 of the message's ${String(BIG.length)} bytes]`,
    );
  });

  it('marks nothing as seen', async () => {
    await run('.ir work-mail 1');
    assert.deepEqual(
      dovecot.flags('alice').filter((f) => f.includes('S')),
      [],
    );
  });

  it('connects with STARTTLS when the account asks for it', async () => {
    assert.equal(await run('.il upgrade 5 1'), '1 ann@example.com Plain hello');
  });

  it('answers an empty mailbox, not an error', async () => {
    assert.equal(await run('.il empty 0 5'), 'no messages in INBOX');
  });

  it('gives the usage line for .i alone and any other form', async () => {
    for (const command of ['.i', '.il', '.ir work-mail', '.il work-mail 0', '.ix a 1']) {
      assert.equal(
        await run(command),
        'usage: .il ACCOUNT SKIP COUNT | .ir ACCOUNT NUMBER',
        command,
      );
    }
  });

  it('answers each bad input with one line, never the password', async () => {
    const cases: [string, RegExp][] = [
      ['.il nope 0 1', /^no IMAP account "nope" \(configured: work-mail, upgrade, .*\)$/],
      ['.il work-mail 6 1', /^work-mail: SKIP must be less than 6, the messages in INBOX$/],
      ['.ir work-mail 7', /^work-mail: no message 7 in INBOX, which has 6$/],
      ['.ir work-mail 0', /^work-mail: no message 0 in INBOX, which has 6$/],
      ['.il wrong 0 1', /^wrong: 127\.0\.0\.1 refused the login \(.*\)$/],
      ['.il down 0 1', /^down: cannot connect to 127\.0\.0\.1:\d+ \(connection refused\)$/],
      ['.il no-ca 0 1', /^no-ca: TLS with 127\.0\.0\.1:\d+ failed: self[- ]signed certificate/],
      ['.il elsewhere 0 1', /^elsewhere: no mailbox "Archive" on 127\.0\.0\.1$/],
      ['.il lost 0 1', /^lost: cannot read ca \/nonexistent\/ca\.pem \(no such file\)$/],
    ];
    for (const [command, expected] of cases) {
      const answer = await run(command);
      assert.match(answer, expected, command);
      assert.doesNotMatch(answer, /\n/, command);
    }
    const logs = rig.logs.join('\n');
    for (const secret of [MAIL_PASSWORD, WRONG_PASSWORD, 's3cret']) {
      assert.equal(logs.includes(secret), false, `the log has ${secret}`);
    }
  });

  it('self-tests each account: quiet when all work, one line per broken one', async () => {
    const good = testConfig({
      apps: { imap: { accounts: { 'work-mail': accounts['work-mail'] } } },
    });
    await imapApp.selfTest?.(good);
    const all = testConfig({ apps: { imap: { accounts } } });
    const error = await imapApp.selfTest?.(all).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(error instanceof Error);
    assert.match(error.message, /^imap: no-ca: TLS .*; wrong: .* refused the login .*; down: /);
    assert.doesNotMatch(error.message, /work-mail|upgrade|empty:/);
    assert.equal(error.message.includes(MAIL_PASSWORD), false);
  });
});

describe('.i at its timeout', () => {
  it('closes the connection to a server that never answers, and says so', async () => {
    const held: Socket[] = [];
    // Reads what comes (the TLS hello) and never answers; reading lets it see the client's close.
    const server = createServer((socket) => {
      held.push(socket);
      socket.resume();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const rig = testRig({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      apps: { imap: { accounts: { mute: { host: '127.0.0.1', port, user: 'a', password: 'b' } } } },
    });
    const started = Date.now();
    const result = await rig.run(`${PASSWORD} .il mute 0 1`, { timeoutSec: 1 });
    assert.equal(result.combinedOutput, 'timed out after 1s');
    assert.ok(Date.now() - started < 2500, 'ended at its timeout, not after the grace');
    const socket = held[0];
    assert.ok(socket !== undefined);
    if (!socket.closed) await once(socket, 'close');
    server.close();
  });
});

describe('.i with "tls": "starttls"', () => {
  it('refuses a server that does not offer STARTTLS, before the password is sent', async () => {
    let received = '';
    // Greets and answers every command OK, but offers no STARTTLS.
    const server = createServer((socket) => {
      socket.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n');
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        for (const line of chunk.toString('latin1').split('\r\n').filter(Boolean)) {
          const tag = line.split(' ')[0] ?? '*';
          const capability = /CAPABILITY/i.test(line)
            ? '* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n'
            : '';
          socket.write(`${capability}${tag} OK done\r\n`);
        }
      });
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const account = {
      host: '127.0.0.1',
      port,
      tls: 'starttls',
      user: 'a',
      password: MAIL_PASSWORD,
    };
    const rig = testRig({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      apps: { imap: { accounts: { cleartext: account } } },
    });
    const result = await rig.run(`${PASSWORD} .il cleartext 0 1`);
    assert.equal(
      result.combinedOutput,
      `cleartext: TLS with 127.0.0.1:${String(port)} failed: Server does not support STARTTLS`,
    );
    assert.equal(received.includes('s3cret'), false);
    server.close();
  });
});
