/**
 * Test support: a feed server in a process of its own (feed-server.ts starts and stops it by
 * PID). Listens on a free loopback port, prints it, and serves the feeds of feed-fixtures.ts and
 * the ways a feed goes wrong: a 404, a page that never answers, an endless body, redirects.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ATOM,
  billionLaughs,
  HTML_PAGE,
  LONG,
  manyItems,
  NOT_XML,
  RDF,
  RSS_2,
} from './feed-fixtures.js';

const XML = 'application/xml; charset=utf-8';
const FIXED: Readonly<Record<string, readonly [string, string]>> = {
  '/rss.xml': [XML, RSS_2],
  '/atom.xml': ['application/atom+xml', ATOM],
  '/rdf.xml': [XML, RDF],
  '/many.xml': [XML, manyItems(300)],
  '/long.xml': [XML, LONG],
  '/laughs.xml': [XML, billionLaughs()],
  '/not-xml': ['text/plain', NOT_XML],
  '/page.html': ['text/html', HTML_PAGE],
};

function endless(res: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, '<item><title>x</title></item>');
  res.writeHead(200, { 'content-type': XML });
  res.write('<rss><channel>');
  const more = (): void => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', more);
  };
  more();
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const fixed = FIXED[path];
  const hops = /^\/redirect\/(\d+)$/.exec(path)?.[1];
  if (fixed !== undefined) res.writeHead(200, { 'content-type': fixed[0] }).end(fixed[1]);
  else if (path === '/huge.xml') endless(res);
  else if (path === '/slow.xml') setTimeout(() => res.end(RSS_2), 120_000).unref();
  else if (path === '/loop') res.writeHead(302, { location: '/loop' }).end();
  else if (hops !== undefined) {
    const next = Number(hops) <= 1 ? '/rss.xml' : `/redirect/${Number(hops) - 1}`;
    res.writeHead(301, { location: next }).end();
  } else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
