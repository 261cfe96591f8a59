// Baseline for `mail`: a bare smtp-server that accepts every mail and discards it, on
// 127.0.0.1:<argv[2]>. No TLS, no auth, the message stream drained.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('end', () => callback());
    stream.resume();
  },
});
server.listen(Number(process.argv[2]), '127.0.0.1');
