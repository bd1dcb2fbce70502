import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** One captured page, served at `url` so relative links resolve as they did on the site. */
export interface CorpusPage {
  id: string;
  file: string;
  url: string;
  /** The site it was captured from (`nytimes` for `readability/nytimes-3` and `postlight/www.nytimes.com`). */
  site: string;
}

/** The registrable name of a host: `www.nytimes.com` → `nytimes`, `news.mynavi.jp` → `mynavi`, `bbc.co.uk` → `bbc`. */
export function siteOf(host: string): string {
  const labels = host
    .toLowerCase()
    .replace(/^www\./, '')
    .split('.');
  if (labels.length < 2) return labels[0] ?? host;
  const secondLevel = /^(?:co|com|ne|or|ac|go|gov|org)$/.test(labels[labels.length - 2] ?? '') && labels.length >= 3;
  return labels[labels.length - (secondLevel ? 3 : 2)] ?? host;
}

/** An old and a new capture of the same URL (corpus `pairs/`). */
export interface CorpusPair {
  slug: string;
  old: CorpusPage;
  new: CorpusPage;
}

interface ManifestEntry {
  slug: string;
  url: string;
}

const html = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((name) => name.endsWith('.html'))
        .sort()
    : [];

/**
 * The single pages: the real captures of `readability/` (its synthetic `TINY.txt` pages are
 * left out), `postlight/` and the old side of every pair, each byte-identical page once (the
 * new side of each pair is also a postlight fixture).
 */
export function singlePages(corpus: string): CorpusPage[] {
  const tiny = new Set(
    fs.existsSync(path.join(corpus, 'readability/TINY.txt'))
      ? fs.readFileSync(path.join(corpus, 'readability/TINY.txt'), 'utf8').split(/\s+/).filter(Boolean)
      : [],
  );
  const pages: CorpusPage[] = [
    ...html(path.join(corpus, 'readability'))
      .filter((name) => !tiny.has(name) && !tiny.has(name.replace(/\.html$/, '')))
      .map((name) => ({
        id: `readability/${name}`,
        file: path.join(corpus, 'readability', name),
        url: `https://readability.corpus.invalid/${name.replace(/\.html$/, '')}/`,
        site: name.replace(/\.html$/, '').replace(/-\d+$/, ''),
      })),
    ...html(path.join(corpus, 'postlight')).map((name) => ({
      id: `postlight/${name}`,
      file: path.join(corpus, 'postlight', name),
      url: `https://${name.replace(/\.html$/, '').replace(/--.*$/, '')}/`,
      site: siteOf(name.replace(/\.html$/, '').replace(/--.*$/, '')),
    })),
    ...pairs(corpus).map((pair) => pair.old),
  ];
  const seen = new Set<string>();
  return pages.filter((page) => {
    const hash = crypto.createHash('sha1').update(fs.readFileSync(page.file)).digest('hex');
    if (seen.has(hash)) return false;
    seen.add(hash);
    return true;
  });
}

/** The old/new pairs listed in `pairs/manifest.json`, served at their real URL. */
export function pairs(corpus: string): CorpusPair[] {
  const manifestFile = path.join(corpus, 'pairs/manifest.json');
  if (!fs.existsSync(manifestFile)) return [];
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as ManifestEntry[];
  return manifest
    .map((entry) => {
      const dir = path.join(corpus, 'pairs', entry.slug);
      const page = (side: 'old' | 'new'): CorpusPage => ({
        id: `pairs/${entry.slug}/${side}.html`,
        file: path.join(dir, `${side}.html`),
        url: entry.url,
        site: siteOf(entry.slug.replace(/--.*$/, '')),
      });
      return { slug: entry.slug, old: page('old'), new: page('new') };
    })
    .filter((pair) => fs.existsSync(pair.old.file) && fs.existsSync(pair.new.file));
}
