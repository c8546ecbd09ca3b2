// ESLint rule: imports between workspace projects must follow the tag constraints in
// eslint.config.js (e.g. a `type:service` may depend only on `type:lib`), must go through the
// target's package name (never a relative path into another project), and may not reach into
// another project's files past its package exports.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

const PROJECT_PARENTS = ['libs', 'services', 'tools', '.'];
const workspaces = new Map();

/** Projects are the folders holding a project.json; their package name comes from package.json. */
function loadWorkspace(root) {
  const cached = workspaces.get(root);
  if (cached) return cached;
  const projects = [];
  const candidates = new Set();
  for (const parent of PROJECT_PARENTS) {
    const base = join(root, parent);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules')
        candidates.add(join(base, entry.name));
    }
  }
  for (const dir of candidates) {
    const projectFile = join(dir, 'project.json');
    if (!existsSync(projectFile)) continue;
    const project = JSON.parse(readFileSync(projectFile, 'utf8'));
    const packageFile = join(dir, 'package.json');
    const packageName = existsSync(packageFile)
      ? JSON.parse(readFileSync(packageFile, 'utf8')).name
      : undefined;
    projects.push({ name: project.name, root: dir, tags: project.tags ?? [], packageName });
  }
  projects.sort((a, b) => b.root.length - a.root.length);
  const workspace = { root, projects };
  workspaces.set(root, workspace);
  return workspace;
}

function projectOfFile(workspace, file) {
  return workspace.projects.find((p) => file === p.root || file.startsWith(p.root + sep));
}

function projectOfPackage(workspace, specifier) {
  for (const project of workspace.projects) {
    if (!project.packageName) continue;
    if (specifier === project.packageName) return { project, subpath: '' };
    if (specifier.startsWith(project.packageName + '/')) {
      return { project, subpath: specifier.slice(project.packageName.length + 1) };
    }
  }
  return undefined;
}

function exportedSubpaths(project) {
  const pkg = JSON.parse(readFileSync(join(project.root, 'package.json'), 'utf8'));
  return Object.keys(pkg.exports ?? { '.': pkg.main }).map((k) => k.replace(/^\.\/?/, ''));
}

/** @type {import('eslint').Rule.RuleModule} */
export const projectBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce dependency constraints between tagged workspace projects' },
    schema: [
      {
        type: 'object',
        properties: {
          workspaceRoot: { type: 'string' },
          depConstraints: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                sourceTag: { type: 'string' },
                onlyDependOnLibsWithTags: { type: 'array', items: { type: 'string' } },
              },
              required: ['sourceTag', 'onlyDependOnLibsWithTags'],
              additionalProperties: false,
            },
          },
        },
        required: ['depConstraints'],
        additionalProperties: false,
      },
    ],
    messages: {
      forbiddenTag:
        "Project '{{source}}' ({{sourceTag}}) may only depend on projects tagged {{allowed}}; '{{target}}' is tagged {{targetTags}}.",
      relativeCrossing:
        "Relative import '{{specifier}}' leaves project '{{source}}' into '{{target}}'. Import it by its package name, if the constraints allow it at all.",
      deepImport:
        "'{{specifier}}' reaches into '{{target}}' past its package exports ({{exported}}). Import from the package's public surface.",
    },
  },
  create(context) {
    const options = context.options[0] ?? { depConstraints: [] };
    const root = resolve(options.workspaceRoot ?? context.cwd);
    const workspace = loadWorkspace(root);
    const filename = resolve(context.filename);
    const source = projectOfFile(workspace, filename);
    if (!source) return {};

    function checkTags(node, target) {
      if (target === source) return;
      for (const constraint of options.depConstraints) {
        if (!source.tags.includes(constraint.sourceTag)) continue;
        if (!constraint.onlyDependOnLibsWithTags.some((tag) => target.tags.includes(tag))) {
          context.report({
            node,
            messageId: 'forbiddenTag',
            data: {
              source: source.name,
              sourceTag: constraint.sourceTag,
              allowed: constraint.onlyDependOnLibsWithTags.join(', '),
              target: target.name,
              targetTags: target.tags.join(', ') || '(no tags)',
            },
          });
          return;
        }
      }
    }

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = projectOfFile(workspace, resolve(dirname(filename), specifier));
        if (target && target !== source) {
          context.report({
            node,
            messageId: 'relativeCrossing',
            data: { specifier, source: source.name, target: target.name },
          });
        }
        return;
      }
      const match = projectOfPackage(workspace, specifier);
      if (!match) return;
      checkTags(node, match.project);
      if (match.project !== source && match.subpath) {
        const exported = exportedSubpaths(match.project);
        if (!exported.includes(match.subpath)) {
          context.report({
            node,
            messageId: 'deepImport',
            data: {
              specifier,
              target: match.project.name,
              exported: exported.map((e) => e || '.').join(', '),
            },
          });
        }
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) =>
        node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        ) {
          check(node.arguments[0], node.arguments[0].value);
        }
      },
    };
  },
};

export default { rules: { 'project-boundaries': projectBoundaries } };
