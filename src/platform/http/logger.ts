// pino options for Fastify: request ids on every line, and personal data kept out of logs.
// Query strings can carry a phone or an identity number (tracking lookups), so only the path
// is logged; credentials and cookies are redacted wherever they appear.
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../../config.js';

export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.idNumber',
  '*.phone',
  '*.email',
  'payload',
  // A database error carries the statement's parameters and the failing row: personal data.
  'err.params',
  'err.detail',
  'err.where',
];

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: {
      req(request: { method: string; url: string; id: string }) {
        return { method: request.method, path: request.url.split('?')[0], id: request.id };
      },
      res(reply: { statusCode: number }) {
        return { statusCode: reply.statusCode };
      },
    },
  };
}
