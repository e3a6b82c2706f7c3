// Schema pieces every page route uses: an HTML response, hidden from the OpenAPI document, and
// optional text fields with a length cap (forms send what they like; the cap keeps it sane).
import { Type } from 'typebox';

export const HtmlResponse = { 200: { content: { 'text/html': { schema: Type.String() } } } };
export const hiddenFromApi = { hide: true } as const;
export const optionalText = (max = 200) => Type.Optional(Type.String({ maxLength: max }));
