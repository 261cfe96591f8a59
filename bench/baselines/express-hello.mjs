// Baseline for `reject` and `inproc`: a bare express app answering "hello world" to any request
// (the body is not parsed), on 127.0.0.1:<argv[2]>.
import express from 'express';

const app = express();
app.use((_req, res) => {
  res.send('hello world');
});
app.listen(Number(process.argv[2]), '127.0.0.1');
