// Serves the stylesheet (and the few progressive-enhancement scripts) from memory under
// content-hashed URLs, so browsers cache them for a year and a weak connection downloads them once.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const cssPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '../html/assets/app.css');
const css = fs.readFileSync(cssPath);
const cssHash = createHash('sha256').update(css).digest('hex').slice(0, 12);

export const stylesheetUrl = `/assets/app.${cssHash}.css`;

// The address picker of the e-forms (src/modules/dossier/eform): filters communes by province.
const addressPicker = fs.readFileSync(path.join(path.dirname(cssPath), 'address-picker.js'));
const addressPickerFile = `address-picker.${createHash('sha256').update(addressPicker).digest('hex').slice(0, 12)}.js`;

export const addressPickerScriptUrl = `/assets/${addressPickerFile}`;

export async function registerAssets(app: FastifyInstance): Promise<void> {
  app.get(
    '/assets/:file',
    {
      schema: {
        hide: true,
        params: { type: 'object', properties: { file: { type: 'string', maxLength: 100 } }, required: ['file'] },
        response: { 200: { content: { 'text/css': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } } } } },
      },
    },
    async (request, reply) => {
      const { file } = request.params as { file: string };
      if (file === addressPickerFile) {
        return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=31536000, immutable').send(addressPicker);
      }
      if (file !== `app.${cssHash}.css` && file !== 'app.css') {
        return reply.callNotFound();
      }
      return reply
        .type('text/css; charset=utf-8')
        .header('cache-control', file === 'app.css' ? 'public, max-age=300' : 'public, max-age=31536000, immutable')
        .send(css);
    },
  );
}
