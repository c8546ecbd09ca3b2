// ESLint rule: imports between workspace projects must
// - follow the tag constraints in eslint.config.js: a source-tag constraint limits what projects
//   with that tag may depend on (`onlyDependOnLibsWithTags`, `notDependOnLibsWithTags`); a
//   target-tag constraint limits from which files projects with that tag may be imported
//   (`onlyFromFiles`, globs relative to the workspace root, e.g. test support from tests only);
// - go through the target's package name (never a relative path into another project), and not
//   reach into another project's files past its package exports;
// - with `noCycles`, not close a cycle in the project dependency graph (package.json
//   dependencies plus imports by package name, read from the whole workspace).
// The root project.json owns the files no other project holds (workspace scripts); its files
// are shared workspace configuration (vitest.shared.ts, eslint.config.js), so it is never a
// dependency target.
import { dirname, relative, resolve, sep } from 'node:path';

import { matchesAnyGlob } from './glob.js';
import {
  dependencyGraph,
  dependencyPath,
  loadWorkspace,
  projectOfFile,
  projectOfPackage,
} from './workspace.js';

const tagList = { type: 'array', items: { type: 'string' } };

const sourceConstraint = {
  type: 'object',
  properties: {
    sourceTag: { type: 'string' },
    onlyDependOnLibsWithTags: tagList,
    notDependOnLibsWithTags: tagList,
  },
  required: ['sourceTag'],
  anyOf: [{ required: ['onlyDependOnLibsWithTags'] }, { required: ['notDependOnLibsWithTags'] }],
  additionalProperties: false,
};

const targetConstraint = {
  type: 'object',
  properties: {
    targetTag: { type: 'string' },
    onlyFromFiles: { type: 'array', items: { type: 'string' }, minItems: 1 },
  },
  required: ['targetTag', 'onlyFromFiles'],
  additionalProperties: false,
};

const list = (tags) => tags.join(', ') || '(none)';

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
          depConstraints: { type: 'array', items: { oneOf: [sourceConstraint, targetConstraint] } },
          noCycles: { type: 'boolean' },
        },
        required: ['depConstraints'],
        additionalProperties: false,
      },
    ],
    messages: {
      forbiddenTag:
        "Project '{{source}}' ({{sourceTag}}) may only depend on projects tagged {{allowed}}; '{{target}}' is tagged {{targetTags}}. Move the code you need into a project it may use, or drop the import.",
      noDependencies:
        "Project '{{source}}' ({{sourceTag}}) depends on no other project, but this imports '{{target}}'. Drop the import.",
      bannedTag:
        "Project '{{source}}' ({{sourceTag}}) must not depend on projects tagged {{banned}}; '{{target}}' is tagged {{targetTags}}. Drop the import.",
      fileNotAllowed:
        "'{{target}}' ({{targetTag}}) may be imported only from files matching {{patterns}}; '{{file}}' is not one. Import it from a test file, or move this code into one.",
      dependencyCycle:
        "Importing '{{target}}' from '{{source}}' closes a dependency cycle: {{cycle}}. Move what both need into a project lower down, or invert one dependency.",
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
    const file = relative(root, filename).split(sep).join('/');

    function sourceViolation(constraint, target) {
      const data = {
        source: source.name,
        sourceTag: constraint.sourceTag,
        target: target.name,
        targetTags: list(target.tags),
      };
      const only = constraint.onlyDependOnLibsWithTags;
      if (only?.length === 0) return { messageId: 'noDependencies', data };
      if (only && !only.some((tag) => target.tags.includes(tag))) {
        return { messageId: 'forbiddenTag', data: { ...data, allowed: list(only) } };
      }
      const banned = constraint.notDependOnLibsWithTags ?? [];
      if (banned.some((tag) => target.tags.includes(tag))) {
        return { messageId: 'bannedTag', data: { ...data, banned: list(banned) } };
      }
      return undefined;
    }

    function targetViolation(constraint, target) {
      if (matchesAnyGlob(file, constraint.onlyFromFiles)) return undefined;
      return {
        messageId: 'fileNotAllowed',
        data: {
          target: target.packageName ?? target.name,
          targetTag: constraint.targetTag,
          patterns: constraint.onlyFromFiles.join(', '),
          file,
        },
      };
    }

    /** The first constraint the dependency breaks, in the order of the configuration. */
    function checkTags(node, target) {
      for (const constraint of options.depConstraints) {
        let violation;
        if ('sourceTag' in constraint) {
          if (source.tags.includes(constraint.sourceTag)) {
            violation = sourceViolation(constraint, target);
          }
        } else if (target.tags.includes(constraint.targetTag)) {
          violation = targetViolation(constraint, target);
        }
        if (violation) {
          context.report({ node, ...violation });
          return;
        }
      }
    }

    function checkCycle(node, target) {
      if (!options.noCycles) return;
      const back = dependencyPath(dependencyGraph(workspace), target.name, source.name);
      if (!back) return;
      context.report({
        node,
        messageId: 'dependencyCycle',
        data: {
          source: source.name,
          target: target.name,
          cycle: [source.name, ...back].join(' -> '),
        },
      });
    }

    function checkDependency(node, target) {
      if (target === source || target.isRoot) return;
      checkTags(node, target);
      checkCycle(node, target);
    }

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = projectOfFile(workspace, resolve(dirname(filename), specifier));
        if (!target || target === source || target.isRoot) return;
        if (target.packageName) {
          context.report({
            node,
            messageId: 'relativeCrossing',
            data: { specifier, source: source.name, target: target.name },
          });
        } else {
          // A project without a package (a tool) can only be reached by path.
          checkDependency(node, target);
        }
        return;
      }
      const match = projectOfPackage(workspace, specifier);
      if (!match) return;
      checkDependency(node, match.project);
      if (match.project !== source && match.subpath) {
        const exported = match.project.exportedSubpaths;
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
