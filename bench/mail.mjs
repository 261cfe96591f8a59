// mail: command mails per second through the daemon's mail channel, against a bare smtp-server
// sink. A separate process sends the mails over 4 connections. The daemon accepts each (250),
// runs `.e bans` after the transaction and queues its reply in the outbox (no `mail.smtp`: the
// replies wait there, written and fsynced as always); a round ends when every reply is queued.
import { fork } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBaseline } from './lib/baseline.mjs';
import { benchConfig, PASSWORD, startDaemon, unlimited } from './lib/daemon.mjs';
import { freePort, stopProcess } from './lib/proc.mjs';
import { alternate, medianRatio } from './lib/rounds.mjs';
import { num } from './lib/report.mjs';

const CLIENT = new URL('./lib/smtp-client.mjs', import.meta.url);
const CONNECTIONS = 4;

/** Runs the scenario with `profile` (see lib/profile.mjs). */
export async function run(profile) {
  const smtpPort = await freePort();
  const servers = {};
  try {
    servers.switchboard = await startDaemon((dir, port) => ({
      ...benchConfig(dir, port),
      smtp: { listen: `127.0.0.1:${smtpPort}`, myDomains: ['localhost'], rateLimit: unlimited() },
    }));
    servers.switchboard.port = smtpPort;
    servers['smtp-server sink'] = await startBaseline('smtp-sink', 'tcp');
    const outbox = join(servers.switchboard.dir, 'outbox');
    const round = async (label, mails) => {
      const server = servers[label];
      const before = label === 'switchboard' ? await queued(outbox) : 0;
      const sent = await send({ port: server.port, mails });
      let doneAt = sent.startedAt + sent.ms;
      if (label === 'switchboard') {
        while ((await queued(outbox)) < before + mails) await sleep(2);
        doneAt = performance.timeOrigin + performance.now();
      }
      return {
        accepted: (mails / sent.ms) * 1000,
        processed: (mails / (doneAt - sent.startedAt)) * 1000,
      };
    };
    const labels = Object.keys(servers);
    for (const label of labels) await round(label, Math.ceil(profile.mails / 4));
    const { samples, medians } = await alternate(profile.rounds, labels, (label) =>
      round(label, profile.mails),
    );
    const ratio = medianRatio(samples, 'switchboard', 'smtp-server sink', 'processed');
    return {
      name: 'mail',
      title: 'Command mails through the mail channel vs a bare smtp-server sink',
      head: ['server', 'accepted mails/s (250)', 'processed mails/s (reply queued)'],
      rows: labels.map((label) => [
        label,
        num(medians[label].accepted),
        label === 'switchboard' ? num(medians[label].processed) : '(same)',
      ]),
      checks: [
        {
          what: 'switchboard processed / sink accepted',
          value: `${num(ratio, 2)}×`,
          target: 'none',
        },
      ],
      notes: [
        `${profile.mails} mails per round over ${CONNECTIONS} connections. No \`mail.smtp\`: ` +
          'replies are queued in the outbox (one fsynced file each) and not delivered.',
      ],
    };
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
}

/** Queued replies in the daemon's outbox. */
async function queued(dir) {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.json')).length;
  } catch {
    return 0;
  }
}

/** Sends `mails` command mails from a forked client process. */
async function send({ port, mails }) {
  const child = fork(CLIENT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const answer = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`smtp client exited with ${code}`)));
      child.send({
        port,
        mails,
        connections: CONNECTIONS,
        from: 'bench@localhost',
        to: 'sb@localhost',
        text: `${PASSWORD} .e bans`,
      });
    });
    if (answer.error !== undefined) throw new Error(`smtp client: ${answer.error}`);
    return answer;
  } finally {
    await stopProcess(child);
  }
}
