// The public check page of a signed result, where the QR code printed on it leads: /verify/{id}
// shows the issuer, the signing time, the document's SHA-256, the signer's certificate and whether
// the signature is valid ("Hợp lệ" / "Không hợp lệ" with the reason); a file the person holds can
// be uploaded and checked against it (a plain multipart form: no script needed); the signed PDF
// and its .p7s can be downloaded. Every route here is rate-limited per client address.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, isAppError } from '../../platform/errors/app-error.js';
import { Breadcrumbs, Button, fieldId, SummaryList, Tag, TextInput } from '../../platform/html/components.js';
import { Form, FormErrorSummary, formErrors, noErrors, type FormErrors } from '../../platform/html/form.js';
import { Layout } from '../../platform/html/layout.js';
import type { PageContext } from '../../platform/html/page-context.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { hiddenFromApi, HtmlResponse, optionalText } from '../../platform/http/route-schemas.js';
import { formatDateTime } from '../../platform/text/vietnam-time.js';
import { safeFileName } from '../document/document.service.js';
import { resultLinks } from './signature.presenters.js';
import { checkFileAgainstResult, isResultId, openResultDocument, resultSignature, verifySignedResult, type ResultVerification, type SignatureCheck, type VerifyDeps } from './verification.js';

const hide = hiddenFromApi;
const IdParams = Type.Object({ id: Type.String({ maxLength: 80 }) });

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function CheckStatus({ ctx, check }: { ctx: PageContext; check: SignatureCheck }) {
  return check.valid ? <Tag colour="green">{ctx.t('signature.verify.valid')}</Tag> : <Tag colour="red">{ctx.t('signature.verify.invalid')}</Tag>;
}

function reasonText(ctx: PageContext, check: SignatureCheck): string {
  return ctx.t(`signature.reason.${check.reason ?? 'malformed'}`);
}

function SearchPage({ ctx, code, errors }: { ctx: PageContext; code?: string | undefined; errors: FormErrors }) {
  return (
    <Layout ctx={ctx} title={ctx.t('signature.verify.title')} hasErrors={errors.summary.length > 0}>
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('signature.verify.title')}</h1>
      <p class="lead">{ctx.t('signature.verify.lead')}</p>
      <Form ctx={ctx} action="/verify" method="get">
        <TextInput name="ma" label={ctx.t('signature.verify.searchLabel')} hint={ctx.t('signature.verify.searchHint')} value={code} error={errors.byField.ma} maxLength={80} spellcheck={false} autocomplete="off" />
        <Button>{ctx.t('signature.verify.search')}</Button>
      </Form>
    </Layout>
  );
}

interface UploadOutcome {
  fileName: string;
  check: SignatureCheck;
}

function VerifyPage({ ctx, result, upload, errors }: { ctx: PageContext; result: ResultVerification; upload?: UploadOutcome | undefined; errors: FormErrors }) {
  const links = resultLinks(result.id);
  const { signer } = result;
  return (
    <Layout ctx={ctx} title={`${ctx.t('signature.verify.title')}: ${result.title}`} hasErrors={errors.summary.length > 0}>
      <Breadcrumbs ctx={ctx} items={[{ href: '/', label: ctx.t('nav.home') }, { href: '/verify', label: ctx.t('signature.verify.title') }]} />
      <FormErrorSummary ctx={ctx} errors={errors} />
      <h1>{ctx.t('signature.verify.title')}</h1>
      <p class="lead">{ctx.t('signature.verify.lead')}</p>
      {upload ? (
        <section class={upload.check.valid ? 'banner' : 'banner banner--warning'} aria-labelledby="upload-result" id="ket-qua-kiem-tra">
          <h2 id="upload-result">{ctx.t('signature.verify.uploadTitle', { file: upload.fileName })}</h2>
          <p class="lead">
            <CheckStatus ctx={ctx} check={upload.check} /> {upload.check.valid ? ctx.t('signature.verify.uploadValid') : reasonText(ctx, upload.check)}
          </p>
          <SummaryList
            rows={[
              { key: ctx.t('signature.verify.uploadHash'), value: <code class="hash">{upload.check.sha256}</code> },
              { key: ctx.t('signature.verify.hash'), value: <code class="hash">{result.sha256}</code> },
            ]}
          />
        </section>
      ) : null}
      <h2>{ctx.t('signature.verify.status')}</h2>
      <p class="lead" id="tinh-trang">
        <CheckStatus ctx={ctx} check={result.check} /> {result.check.valid ? ctx.t('signature.verify.validText', { agency: result.agency.name }) : reasonText(ctx, result.check)}
      </p>
      <SummaryList
        rows={[
          { key: ctx.t('signature.verify.document'), value: result.title },
          { key: ctx.t('signature.verify.issuer'), value: result.agency.name },
          { key: ctx.t('signature.verify.signedAt'), value: formatDateTime(ctx.locale, result.signedAt) },
          { key: ctx.t('signature.verify.hash'), value: <code class="hash">{result.sha256}</code> },
          { key: ctx.t('signature.verify.size'), value: formatSize(result.size) },
        ]}
      />
      <h2>{ctx.t('signature.verify.signer')}</h2>
      <SummaryList
        rows={[
          { key: ctx.t('signature.verify.subject'), value: signer.subject },
          { key: ctx.t('signature.verify.certificateIssuer'), value: signer.issuer },
          { key: ctx.t('signature.verify.serial'), value: <code class="hash">{signer.serialNumber}</code> },
          { key: ctx.t('signature.verify.validity'), value: ctx.t('signature.verify.validityRange', { from: formatDateTime(ctx.locale, signer.notBefore), to: formatDateTime(ctx.locale, signer.notAfter) }) },
        ]}
      />
      <h2>{ctx.t('signature.verify.downloads')}</h2>
      <ul>
        <li>
          <a href={links.document}>{ctx.t('signature.verify.downloadPdf')}</a> <span class="small">({formatSize(result.size)})</span>
        </li>
        <li>
          <a href={links.signature}>{ctx.t('signature.verify.downloadSignature')}</a>
        </li>
      </ul>
      <h2>{ctx.t('signature.verify.checkTitle')}</h2>
      <p>{ctx.t('signature.verify.checkHint')}</p>
      <Form ctx={ctx} action={links.page} multipart>
        <div class={errors.byField.file ? 'form-group form-group--error' : 'form-group'}>
          <label for={fieldId('file')}>{ctx.t('signature.verify.choose')}</label>
          {errors.byField.file ? (
            <span class="error-message" id={`${fieldId('file')}-error`}>
              {errors.byField.file}
            </span>
          ) : null}
          <input type="file" id={fieldId('file')} name="file" aria-describedby={errors.byField.file ? `${fieldId('file')}-error` : undefined} />
        </div>
        <Button variant="secondary">{ctx.t('signature.verify.check')}</Button>
      </Form>
    </Layout>
  );
}

export const signaturePages: FastifyPluginAsyncTypebox<{ deps: VerifyDeps; lookupsPerMinute: number }> = async (app, { deps, lookupsPerMinute }) => {
  // The codes are random, but each look-up reads and hashes a whole document: limited per address.
  const limit = { rateLimit: lookupsPerMinute > 0 ? { max: lookupsPerMinute, timeWindow: '1 minute' } : (false as const) };

  app.get('/verify', { config: limit, schema: { ...hide, querystring: Type.Object({ ma: optionalText(80) }), response: HtmlResponse } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const code = request.query.ma?.trim();
    if (code === undefined || code === '') return sendPage(reply, <SearchPage ctx={ctx} errors={noErrors} />);
    if (!isResultId(code)) return sendPage(reply, <SearchPage ctx={ctx} code={code} errors={{ summary: [{ name: 'ma', message: ctx.t('signature.verify.badCode') }], byField: { ma: ctx.t('signature.verify.badCode') } }} />, 400);
    return reply.redirect(`/verify/${code.toLowerCase()}`, 303);
  });

  app.get('/verify/:id', { config: limit, schema: { ...hide, params: IdParams, response: HtmlResponse } }, async (request, reply) => {
    const result = await verifySignedResult(deps, request.params.id);
    return sendPage(reply, <VerifyPage ctx={pageContext(request, reply)} result={result} errors={noErrors} />);
  });

  const fileError = async (request: FastifyRequest, reply: FastifyReply, id: string, error: AppError) => {
    const ctx = pageContext(request, reply);
    const message = error.problems.length ? formErrors(ctx, error).summary[0]!.message : ctx.t(error.messageKey, error.params);
    const result = await verifySignedResult(deps, id);
    return sendPage(reply, <VerifyPage ctx={ctx} result={result} errors={{ summary: [{ name: 'file', message, href: `#${fieldId('file')}` }], byField: { file: message } }} />, error.status);
  };

  app.post(
    '/verify/:id',
    { config: limit, schema: { ...hide, params: IdParams, querystring: Type.Object({ _csrf: optionalText(200) }), response: HtmlResponse } },
    async (request, reply) => {
      if (!isResultId(request.params.id)) throw new AppError('not_found');
      let outcome: UploadOutcome;
      let result: ResultVerification;
      try {
        if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'signature.error.fileMissing');
        const part = await request.file({ limits: { fileSize: deps.uploadMaxBytes + 1, files: 1, fields: 5, fieldSize: 1000 } });
        if (!part || !part.filename) {
          part?.file.resume();
          throw new AppError('invalid_input', 'signature.error.fileMissing');
        }
        const checked = await checkFileAgainstResult(deps, request.params.id, { stream: part.file, truncated: () => part.file.truncated });
        outcome = { fileName: safeFileName(part.filename), check: checked.upload };
        result = checked.result;
      } catch (error) {
        if (!isAppError(error) || error.status >= 500 || error.code === 'not_found') throw error;
        return fileError(request, reply, request.params.id, error);
      }
      return sendPage(reply, <VerifyPage ctx={pageContext(request, reply)} result={result} upload={outcome} errors={noErrors} />);
    },
  );

  app.get('/verify/:id/document.pdf', { config: limit, schema: { ...hide, params: IdParams, response: { 200: { content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } } } } } }, async (request, reply) => {
    const file = await openResultDocument(deps, request.params.id);
    return reply
      .type('application/pdf')
      .header('content-length', String(file.size))
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .send(file.stream as never);
  });

  app.get('/verify/:id/signature.p7s', { config: limit, schema: { ...hide, params: IdParams, response: { 200: { content: { 'application/pkcs7-signature': { schema: Type.String({ format: 'binary' }) } } } } } }, async (request, reply) => {
    const { fileName, signature } = await resultSignature(deps, request.params.id);
    // RFC 8551 §3.2.1: application/pkcs7-signature, the .p7s of a detached signature.
    return reply.type('application/pkcs7-signature').header('x-content-type-options', 'nosniff').header('content-disposition', `attachment; filename="${fileName}"`).send(signature as never);
  });
};
