/** @switchboard/httpd: the web form, JSON API and health endpoint. */
export { createHttpChannel, type HttpChannel } from './http-channel.js';
export { STATUS_OF } from './status.js';
