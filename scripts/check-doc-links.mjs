// Checks that every relative link in the repository's Markdown files resolves: the file (or folder) exists
// in the repository as a fresh clone has it (tracked, or new and not ignored: a link into dist/ or .data/
// fails) and, for a link into a Markdown file, the #heading exists too. Links with a scheme
// (https:, mailto:, …) are not followed. Exits 1 and lists every broken link, else prints a summary.
//
//   node scripts/check-doc-links.mjs              every *.md in the repository (not node_modules, dist, .data)
//   node scripts/check-doc-links.mjs README.md …  only these files
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', 'dist', '.data', 'coverage', 'test-results']);

function markdownFilesOnDisk(directory) {
  const found = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) found.push(...markdownFilesOnDisk(join(directory, entry.name)));
    } else if (entry.name.endsWith('.md')) {
      found.push(join(directory, entry.name));
    }
  }
  return found;
}

/** The text with fenced code blocks blanked out; line numbers are kept. */
function withoutFences(text) {
  let fence = null;
  return text
    .split('\n')
    .map((line) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(line);
      if (fence) {
        if (marker && marker[1][0] === fence[0] && marker[1].length >= fence.length) fence = null;
        return '';
      }
      if (marker) {
        fence = marker[1];
        return '';
      }
      return line;
    })
    .join('\n');
}

/** Also without inline code spans: a path in backticks is not a link. */
function withoutCode(text) {
  return withoutFences(text).replace(/(`+)[^`]*?\1/g, (span) => ' '.repeat(span.length));
}

/** Inline links and images `[text](target "title")` and reference definitions `[label]: target`, with their line numbers. */
function linksOf(text) {
  const links = [];
  const lines = withoutCode(text).split('\n');
  lines.forEach((line, index) => {
    for (const match of line.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g)) {
      links.push({ target: match[1].replace(/^<|>$/g, ''), line: index + 1 });
    }
    const definition = /^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
    if (definition) links.push({ target: definition[1].replace(/^<|>$/g, ''), line: index + 1 });
  });
  return links;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered -1, -2, … */
function anchorsOf(text) {
  const anchors = new Set();
  const seen = new Map();
  for (const line of withoutFences(text).split('\n')) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The repository's files as a clone has them (tracked, or new and not ignored); undefined outside a git work tree. */
function repositoryFiles() {
  try {
    const output = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const files = new Set();
    const folders = new Set([root]);
    for (const name of output.split('\0').filter(Boolean)) {
      const file = join(root, name);
      if (!existsSync(file)) continue; // deleted in the work tree, not yet committed
      files.add(file);
      for (let folder = dirname(file); folder.startsWith(root + sep) && !folders.has(folder); folder = dirname(folder)) folders.add(folder);
    }
    return { files, folders };
  } catch {
    return undefined;
  }
}

const tracked = repositoryFiles();
const inRepository = (path) => (tracked ? tracked.files.has(path) || tracked.folders.has(path.replace(/[\\/]+$/, '')) : existsSync(path));

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function check(file, anchorCache) {
  const problems = [];
  const text = readFileSync(file, 'utf8');
  for (const { target, line } of linksOf(text)) {
    if (HAS_SCHEME.test(target) || target.startsWith('//')) continue;
    const [rawPath, fragment] = target.split('#', 2);
    let path;
    try {
      path = decodeURIComponent(rawPath.split('?')[0]);
    } catch {
      path = rawPath;
    }
    const where = `${relative(root, file)}:${line}`;
    const resolved = path === '' ? file : path.startsWith('/') ? join(root, path) : resolve(dirname(file), path);
    if (resolved !== root && !resolved.startsWith(root + sep)) {
      problems.push(`${where}: ${target} points outside the repository`);
      continue;
    }
    if (!inRepository(resolved)) {
      problems.push(`${where}: ${target} is not a file of the repository (${relative(root, resolved) || '.'})`);
      continue;
    }
    if (fragment !== undefined && fragment !== '' && statSync(resolved).isFile() && resolved.endsWith('.md')) {
      if (!anchorCache.has(resolved)) anchorCache.set(resolved, anchorsOf(readFileSync(resolved, 'utf8')));
      if (!anchorCache.get(resolved).has(decodeURIComponent(fragment).toLowerCase())) {
        problems.push(`${where}: ${target} names no heading of ${relative(root, resolved)}`);
      }
    }
  }
  return problems;
}

const files =
  process.argv.length > 2
    ? process.argv.slice(2).map((file) => resolve(file))
    : tracked
      ? [...tracked.files].filter((file) => file.endsWith('.md')).sort()
      : markdownFilesOnDisk(root);
const anchorCache = new Map();
const problems = files.flatMap((file) => check(file, anchorCache));
if (problems.length) {
  process.stderr.write(`Broken documentation links:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`Documentation links: ${files.length} Markdown files checked, every relative link resolves.\n`);
