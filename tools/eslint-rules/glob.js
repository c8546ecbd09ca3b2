// Minimal glob matching for workspace-relative paths ('/' separators): `**/` is any number of
// folders (also none), `**` anything, `*` anything within one path segment, `?` one character.
// Enough for file-pattern options; no braces, no negation.

const cache = new Map();

/** @param {string} pattern */
export function globToRegExp(pattern) {
  let cached = cache.get(pattern);
  if (cached) return cached;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*' && pattern[i + 1] === '*') {
      if (pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  cached = new RegExp(`^${source}$`);
  cache.set(pattern, cached);
  return cached;
}

/** @param {string} path workspace-relative, '/' separators @param {string[]} patterns */
export function matchesAnyGlob(path, patterns) {
  return patterns.some((pattern) => globToRegExp(pattern).test(path));
}
