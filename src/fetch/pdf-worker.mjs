// PDF text extraction, run in a worker thread started without the tsx loader. Plain JavaScript on purpose:
// under tsx, importing pdf.js costs ~3 s per process (vs ~0.7 s bare), and a thread of its own lets a hostile PDF
// be stopped by a timeout and a heap cap instead of stalling the fetcher.
import { parentPort } from 'node:worker_threads';

let pdfjs;

/** Joins one page's runs: a new line whenever the baseline moves by more than a fraction of the text height. */
function pageText(items) {
  const lines = [];
  let line = '';
  let lastY;
  for (const item of items) {
    if (!item || typeof item.str !== 'string' || !Array.isArray(item.transform)) continue;
    const y = item.transform[5] ?? 0;
    const tolerance = Math.max(1, (item.height || 10) * 0.4);
    if (lastY !== undefined && Math.abs(y - lastY) > tolerance && item.str !== '') {
      lines.push(line);
      line = '';
    }
    line += item.str;
    if (item.str !== '') lastY = y;
    if (item.hasEOL) {
      lines.push(line);
      line = '';
      lastY = undefined;
    }
  }
  if (line) lines.push(line);
  return lines
    .map((l) => l.replace(/[ \t]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

async function extract(data) {
  pdfjs ??= await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0, stopAtErrors: false });
  let doc;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => undefined);
    throw err;
  }
  try {
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(pageText(content.items));
      page.cleanup();
    }
    return { text: pages.filter((p) => p !== '').join('\n\n'), pages: doc.numPages };
  } finally {
    await doc.destroy().catch(() => undefined);
  }
}

parentPort.on('message', async ({ id, data }) => {
  try {
    parentPort.postMessage({ id, ...(await extract(data)) });
  } catch (err) {
    parentPort.postMessage({ id, error: { name: err?.name ?? 'Error', message: String(err?.message ?? err) } });
  }
});
