/**
 * Test support (`@switchboard/core/testing`): a real IMAP server, Debian's dovecot, run in the
 * foreground from a config of its own in a temp directory (its own base_dir, a passwd-file of
 * plain passwords, a throw-away Maildir per user), on two loopback ports: implicit TLS and
 * STARTTLS. Its certificate is made with the openssl CLI for 127.0.0.1 and is its own CA.
 * Started and stopped by PID. scripts/system-deps.sh installs dovecot-imapd when missing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

const DOVECOT = '/usr/sbin/dovecot';

/** One mail user: the password and the messages of its INBOX, oldest first. */
export interface DovecotUser {
  readonly password: string;
  readonly messages: readonly (string | Buffer)[];
}

/** Who dovecot's processes run as: root may not log users in, anyone else is all of them. */
interface RunAs {
  readonly loginUser: string;
  readonly internalUser: string;
  readonly internalGroup: string;
  readonly uid: number;
  readonly gid: number;
}

function runAs(): RunAs {
  const me = userInfo();
  if (me.uid !== 0) {
    const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
    return {
      loginUser: me.username,
      internalUser: me.username,
      internalGroup: group,
      uid: me.uid,
      gid: me.gid,
    };
  }
  // The users Debian's package creates; mail processes must not be root either.
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, 'dovecot'], { encoding: 'utf8' }).trim());
  return {
    loginUser: 'dovenull',
    internalUser: 'dovecot',
    internalGroup: 'dovecot',
    uid: id('-u'),
    gid: id('-g'),
  };
}

/** A dovecot instance on loopback; stop() ends it by PID. */
export class DovecotServer {
  #child?: ChildProcess;
  #log = '';

  private constructor(
    /** The temp directory with its config, certificate and Maildirs. */
    readonly dir: string,
    /** The implicit-TLS port (IMAPS). */
    readonly imapsPort: number,
    /** The plain port, where STARTTLS is required before a login. */
    readonly imapPort: number,
  ) {}

  /** The server's certificate, which is its own CA: what an account's `ca` names. */
  get caPath(): string {
    return join(this.dir, 'cert.pem');
  }

  /** Everything dovecot logged so far. */
  get log(): string {
    return this.#log;
  }

  /** Writes the config, certificate and Maildirs of `users`, starts dovecot, waits for IMAPS. */
  static async start(users: Readonly<Record<string, DovecotUser>>): Promise<DovecotServer> {
    const dir = mkdtempSync(join(tmpdir(), 'sb-dovecot-'));
    // Dovecot's unprivileged login processes reach their sockets under base_dir.
    chmodSync(dir, 0o755);
    const server = new DovecotServer(dir, await freePort(), await freePort());
    const who = runAs();
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', join(dir, 'key.pem'), '-out', server.caPath,
    ], { stdio: 'ignore' }); // prettier-ignore
    const passwd = Object.entries(users).map(([name, user]) => `${name}:{PLAIN}${user.password}`);
    writeFileSync(join(dir, 'passwd'), `${passwd.join('\n')}\n`);
    for (const [name, user] of Object.entries(users)) server.#writeMaildir(name, user);
    chownTree(join(dir, 'home'), who);
    writeFileSync(join(dir, 'dovecot.conf'), server.#config(who));
    await server.#run();
    return server;
  }

  /** The flags of each of `user`'s messages as the Maildir file names hold them (`S`: seen). */
  flags(user: string): string[] {
    const maildir = join(this.dir, 'home', user, 'Maildir');
    const names = ['new', 'cur'].flatMap((sub) => readdirSync(join(maildir, sub)));
    return names.map((name) => name.split(':2,')[1] ?? '');
  }

  /** Stops dovecot by its PID, waits until it has exited and removes its directory. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = once(child, 'exit');
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  #writeMaildir(name: string, user: DovecotUser): void {
    const maildir = join(this.dir, 'home', name, 'Maildir');
    for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    // Unseen messages in cur/, named in the order dovecot numbers them (by their time stamp).
    user.messages.forEach((message, i) => {
      writeFileSync(
        join(maildir, 'cur', `${String(1_700_000_000 + i)}.M${String(i)}.sb:2,`),
        message,
      );
    });
  }

  #config(who: RunAs): string {
    const d = this.dir;
    return `base_dir = ${d}/run
state_dir = ${d}/state
log_path = /dev/stderr
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <${d}/cert.pem
ssl_key = <${d}/key.pem
default_internal_user = ${who.internalUser}
default_internal_group = ${who.internalGroup}
default_login_user = ${who.loginUser}
first_valid_uid = 1
auth_failure_delay = 0
service imap-login {
  inet_listener imap {
    port = ${String(this.imapPort)}
  }
  inet_listener imaps {
    port = ${String(this.imapsPort)}
    ssl = yes
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${d}/passwd
}
userdb {
  driver = static
  args = uid=${String(who.uid)} gid=${String(who.gid)} home=${d}/home/%u
}
mail_location = maildir:~/Maildir
`;
  }

  async #run(): Promise<void> {
    const child = spawn(DOVECOT, ['-F', '-c', join(this.dir, 'dovecot.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8').on('data', (chunk: string) => (this.#log += chunk));
    }
    const deadline = Date.now() + 30_000;
    while (!(await accepts(this.imapsPort))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await this.stop();
        throw new Error(`dovecot did not start:\n${this.#log}`);
      }
      await sleep(50);
    }
  }
}

/** Gives `path` and everything under it to the mail user. */
function chownTree(path: string, who: RunAs): void {
  chownSync(path, who.uid, who.gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, who);
    else chownSync(child, who.uid, who.gid);
  }
}

/** Whether something accepts TCP connections on loopback `port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}
