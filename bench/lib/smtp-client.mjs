// The SMTP load generator, forked by mail.mjs: sends `mails` messages over `connections`
// plain-text SMTP connections (one transaction after another on each, no pipelining) and
// reports when it started and how long it took. Raw sockets, so the client costs next to nothing.
import { connect } from 'node:net';
import { once } from 'node:events';

/** One SMTP connection: send a line, await the complete reply (the `NNN ` line). */
async function open(port) {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  const waiting = [];
  let buffer = '';
  let reply = [];
  socket.on('data', (chunk) => {
    buffer += chunk;
    let end;
    while ((end = buffer.indexOf('\r\n')) !== -1) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      reply.push(line);
      if (/^\d{3} /.test(line)) {
        waiting.shift()?.resolve(reply.join('\n'));
        reply = [];
      }
    }
  });
  socket.on('error', (err) => {
    for (const w of waiting.splice(0)) w.reject(err);
  });
  const next = () => new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  const expect = async (code, promise) => {
    const text = await promise;
    if (!text.startsWith(code)) throw new Error(`expected ${code}, got: ${text}`);
  };
  await once(socket, 'connect');
  await expect('220', next());
  const say = (line, code) => {
    const answer = next();
    socket.write(`${line}\r\n`);
    return expect(code, answer);
  };
  await say('EHLO bench.localhost', '250');
  return { say, close: () => socket.end('QUIT\r\n') };
}

/** A command mail: headers, then the password and command as the body. */
function message(i, job) {
  return [
    `From: <${job.from}>`,
    `To: <${job.to}>`,
    `Subject: bench ${i}`,
    `Message-ID: <${i}.${process.pid}@bench.localhost>`,
    '',
    job.text,
    '.',
  ].join('\r\n');
}

process.once('message', async (job) => {
  try {
    const startedAt = performance.timeOrigin + performance.now();
    let sent = 0;
    const worker = async () => {
      const smtp = await open(job.port);
      while (sent < job.mails) {
        const i = sent++;
        await smtp.say(`MAIL FROM:<${job.from}>`, '250');
        await smtp.say(`RCPT TO:<${job.to}>`, '250');
        await smtp.say('DATA', '354');
        await smtp.say(message(i, job), '250');
      }
      smtp.close();
    };
    await Promise.all(Array.from({ length: job.connections }, worker));
    const ms = performance.timeOrigin + performance.now() - startedAt;
    process.send({ startedAt, ms }, () => process.exit(0));
  } catch (error) {
    process.send({ error: String(error) }, () => process.exit(1));
  }
});
