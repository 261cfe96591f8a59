// Baseline for `shell`: a bare node:http server that runs /bin/true per request and answers
// when it exits, on 127.0.0.1:<argv[2]>. The least any "run a command per request" server does.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';

createServer((req, res) => {
  req.resume();
  execFile('/bin/true', (error) => {
    res.statusCode = error === null ? 200 : 500;
    res.end(error === null ? 'ok' : 'failed');
  });
}).listen(Number(process.argv[2]), '127.0.0.1');
