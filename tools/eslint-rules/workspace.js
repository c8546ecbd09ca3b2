// The workspace as the boundaries rule sees it: projects (folders holding a project.json, named
// by their package.json), which file belongs to which project, and the dependency graph between
// projects. Read once per ESLint process and workspace root.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';

const PROJECT_PARENTS = ['libs', 'services', 'tools', '.'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.nx', 'coverage', 'reports']);
const SOURCE_FILE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;
const IMPORT_SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"\n]+)['"]/gm;
const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
];

const workspaces = new Map();

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function readProject(dir, isRoot) {
  const project = readJson(join(dir, 'project.json'));
  const packageFile = join(dir, 'package.json');
  const pkg = existsSync(packageFile) ? readJson(packageFile) : {};
  return {
    name: project.name,
    root: dir,
    tags: project.tags ?? [],
    isRoot,
    // The root package is the workspace itself, never a dependency of its projects.
    packageName: isRoot ? undefined : pkg.name,
    declaredDependencies: DEPENDENCY_FIELDS.flatMap((field) => Object.keys(pkg[field] ?? {})),
    exportedSubpaths: Object.keys(pkg.exports ?? { '.': pkg.main }).map((key) =>
      key.replace(/^\.\/?/, ''),
    ),
  };
}

/**
 * Projects sorted deepest root first, so the first project whose root holds a file owns it. The
 * root project.json, if any, owns the files no other project holds (workspace scripts, infra).
 */
export function loadWorkspace(root) {
  const cached = workspaces.get(root);
  if (cached) return cached;
  const projects = [];
  for (const parent of PROJECT_PARENTS) {
    const base = join(root, parent);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      const dir = join(base, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) {
        if (existsSync(join(dir, 'project.json'))) projects.push(readProject(dir, false));
      }
    }
  }
  if (existsSync(join(root, 'project.json'))) projects.push(readProject(root, true));
  projects.sort((a, b) => b.root.length - a.root.length);
  const workspace = { root, projects, graph: undefined };
  workspaces.set(root, workspace);
  return workspace;
}

export function projectOfFile(workspace, file) {
  return workspace.projects.find((p) => file === p.root || file.startsWith(p.root + sep));
}

export function projectOfPackage(workspace, specifier) {
  for (const project of workspace.projects) {
    if (!project.packageName) continue;
    if (specifier === project.packageName) return { project, subpath: '' };
    if (specifier.startsWith(project.packageName + '/')) {
      return { project, subpath: specifier.slice(project.packageName.length + 1) };
    }
  }
  return undefined;
}

function sourceFiles(dir, nestedRoots) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !nestedRoots.has(path)) {
        files.push(...sourceFiles(path, nestedRoots));
      }
    } else if (SOURCE_FILE.test(entry.name)) {
      files.push(path);
    }
  }
  return files;
}

/**
 * project name -> names of the projects it depends on: what its package.json declares plus what
 * its files import by package name (an import works in a workspace even when undeclared).
 */
export function dependencyGraph(workspace) {
  if (workspace.graph) return workspace.graph;
  const roots = new Set(workspace.projects.map((p) => p.root));
  const byPackage = new Map(workspace.projects.map((p) => [p.packageName, p]));
  const graph = new Map();
  for (const project of workspace.projects) {
    const edges = new Set();
    const add = (target) => target && target !== project && edges.add(target.name);
    for (const name of project.declaredDependencies) add(byPackage.get(name));
    if (!project.isRoot) {
      const nested = new Set([...roots].filter((r) => r !== project.root));
      for (const file of sourceFiles(project.root, nested)) {
        for (const match of readFileSync(file, 'utf8').matchAll(IMPORT_SPECIFIER)) {
          add(projectOfPackage(workspace, match[1])?.project);
        }
      }
    }
    graph.set(project.name, edges);
  }
  workspace.graph = graph;
  return graph;
}

/** The shortest chain of project names from `from` to `to`, or undefined if there is none. */
export function dependencyPath(graph, from, to) {
  const previous = new Map([[from, undefined]]);
  const queue = [from];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === to) {
      const path = [];
      for (let at = to; at !== undefined; at = previous.get(at)) path.unshift(at);
      return path;
    }
    for (const next of graph.get(current) ?? []) {
      if (!previous.has(next)) {
        previous.set(next, current);
        queue.push(next);
      }
    }
  }
  return undefined;
}
