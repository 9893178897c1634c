// @ts-check
// TypeDoc plugin for the effect-cloud-clients API reference:
// - names each entry-point module after its import path (`effect-cloud-clients/veil`, …);
// - documents an entry point or an exported namespace with its file's header comment;
// - drops class and interface members declared only by dependencies (Effect's type ids, `pipe`, `Schema` and
//   `Context.Tag` statics, …), keeping the members declared in this package and `_tag`;
// - shows a class's base as its source expression (`Schema.TaggedError<X>()("X", …)`) instead of the
//   intersection of object types it resolves to, and leaves out the constructor such a base makes (its
//   parameter is the class's own properties, or `never` for a `Context.Tag`);
// - omits the field schemas (`Schema.String`, …) that would otherwise show as property default values;
// - with `exportsRequiringDocumentation`, warns (a validation warning) of each exported name of those kinds,
//   in an entry point or a namespace it exports, that has no doc comment, with its file and line. TypeDoc's own
//   `notDocumented` goes by kind alone, so it also asks for every function-typed property of an interface
//   and for the fields TypeScript infers inside `Schema` types.
import { readFileSync } from "node:fs"
import * as path from "node:path"
import { Application, Converter, DeclarationReflection, ParameterType, ReflectionKind, UnknownType } from "typedoc"
import ts from "typescript"

const root = path.resolve(import.meta.dirname, "..")
const packageName = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).name

/** `src/veil/index.ts` → `effect-cloud-clients/veil`, `src/index.ts` → `effect-cloud-clients`. */
const importPath = (/** @type {string} */ fileName) => {
  const rel = path.relative(path.join(root, "src"), fileName).split(path.sep).join("/")
  const dir = rel.replace(/(^|\/)index\.ts$/, "")
  return dir === "" ? packageName : `${packageName}/${dir}`
}

const isExternal = (/** @type {ts.Declaration} */ declaration) =>
  declaration.getSourceFile().fileName.split(path.sep).includes("node_modules")

/** A heritage expression with every argument that is not a name or a string literal shortened to `…`. */
const heritageText = (/** @type {ts.Expression} */ expression) => {
  if (ts.isCallExpression(expression)) {
    const typeArguments = expression.typeArguments
      ? `<${expression.typeArguments.map((t) => t.getText()).join(", ")}>`
      : ""
    const args = expression.arguments.map((a) => (ts.isStringLiteral(a) || ts.isIdentifier(a) ? a.getText() : "…"))
    return `${heritageText(expression.expression)}${typeArguments}(${args.join(", ")})`
  }
  return expression.getText()
}

/** `1`, `-1`, `"a"`, `true`, `null`: a value worth showing as a property's default. */
const isLiteral = (/** @type {ts.Expression} */ e) =>
  ts.isLiteralExpression(e) ||
  e.kind === ts.SyntaxKind.TrueKeyword ||
  e.kind === ts.SyntaxKind.FalseKeyword ||
  e.kind === ts.SyntaxKind.NullKeyword ||
  (ts.isPrefixUnaryExpression(e) && ts.isNumericLiteral(e.operand))

/**
 * A file's leading doc comment, when the file starts with imports or re-exports (so the comment documents no
 * declaration): the header each source file here opens with, which TypeDoc takes as a module comment only when it
 * is tagged `@module`. It is parsed on its own, as a file holding nothing else, so that it reads as it would in place.
 */
const fileComment = (/** @type {import("typedoc").Context} */ context, /** @type {ts.SourceFile} */ file) => {
  const first = file.statements[0]
  if (first && !ts.isImportDeclaration(first) && !ts.isExportDeclaration(first)) return undefined
  const range = ts.getLeadingCommentRanges(file.text, 0)?.[0]
  if (!range || !file.text.startsWith("/**", range.pos)) return undefined
  const header = ts.createSourceFile(file.fileName, file.text.slice(range.pos, range.end), ts.ScriptTarget.Latest)
  return context.getNodeComment(header, false)
}

/** Whether a declaration is the one of a reflection of this kind (`Tag` is both a `const` and an `interface`). */
const declares = (/** @type {ReflectionKind} */ kind) => (/** @type {ts.Declaration} */ d) => {
  switch (kind) {
    case ReflectionKind.Interface: return ts.isInterfaceDeclaration(d)
    case ReflectionKind.TypeAlias: return ts.isTypeAliasDeclaration(d)
    case ReflectionKind.Class: return ts.isClassDeclaration(d)
    case ReflectionKind.Enum: return ts.isEnumDeclaration(d)
    case ReflectionKind.Variable: return ts.isVariableDeclaration(d)
    case ReflectionKind.Function: return ts.isFunctionDeclaration(d) || ts.isVariableDeclaration(d)
    default: return true
  }
}

const memberKinds = ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Accessor

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.options.addDeclaration({
    name: "exportsRequiringDocumentation",
    help: "Kinds of exported names (entry-point and namespace members) that must have a doc comment",
    type: ParameterType.Array,
    defaultValue: [],
  })

  /** @type {WeakMap<import("typedoc").Reflection, string>} where each reflection is declared, `src/x.ts:12` */
  const locations = new WeakMap()
  /** @type {Set<import("typedoc").Reflection>} */
  const external = new Set()
  /** @type {Set<DeclarationReflection>} classes whose constructor is the one their Effect base makes */
  const madeByBase = new Set()

  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    const symbol = context.getSymbolFromReflection(reflection)
    const declarations = symbol?.getDeclarations() ?? []

    const ownDeclarations = declarations.filter((d) => !isExternal(d))
    const own = ownDeclarations.find(declares(reflection.kind)) ?? ownDeclarations[0]
    if (own) {
      const sourceFile = own.getSourceFile()
      const line = ts.isSourceFile(own) ? 1 : sourceFile.getLineAndCharacterOfPosition(own.getStart()).line + 1
      locations.set(reflection, `${path.relative(root, sourceFile.fileName).split(path.sep).join("/")}:${line}`)
    }

    const file = declarations.find(ts.isSourceFile)
    if (file && reflection.kindOf(ReflectionKind.Module)) reflection.name = importPath(file.fileName)
    if (file && reflection.kindOf(ReflectionKind.SomeModule) && !reflection.comment) {
      reflection.comment = fileComment(context, file)
    }

    if (
      reflection.kindOf(memberKinds) &&
      reflection.parent?.kindOf(ReflectionKind.ClassOrInterface) &&
      reflection.name !== "_tag" &&
      declarations.length > 0 &&
      declarations.every(isExternal)
    ) {
      external.add(reflection)
    }

    if (reflection.kindOf(ReflectionKind.Class)) {
      const heritage = declarations
        .filter(ts.isClassDeclaration)
        .flatMap((d) => d.heritageClauses ?? [])
        .find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
      if (heritage && !ts.isIdentifier(heritage.expression) && !ts.isPropertyAccessExpression(heritage.expression)) {
        reflection.extendedTypes = [new UnknownType(heritageText(heritage.expression))]
        if (!declarations.some((d) => ts.isClassDeclaration(d) && d.members.some(ts.isConstructorDeclaration))) {
          madeByBase.add(reflection)
        }
      }
    }
  })

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const reflection of external) context.project.removeReflection(reflection)
    for (const reflection of madeByBase) {
      for (const child of reflection.getChildrenByKind(ReflectionKind.Constructor)) context.project.removeReflection(child)
    }
    external.clear()
    madeByBase.clear()
    for (const reflection of Object.values(context.project.reflections)) {
      if (!(reflection instanceof DeclarationReflection) || reflection.defaultValue === undefined) continue
      const declarations = context.getSymbolFromReflection(reflection)?.getDeclarations() ?? []
      if (declarations.some((d) => ts.isPropertyAssignment(d) && !isLiteral(d.initializer))) {
        delete reflection.defaultValue
      }
    }
  })

  // What stays of an inherited member is declared here; "Inherited from" an expression base says nothing more.
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const reflection of Object.values(context.project.reflections)) {
      if (!(reflection instanceof DeclarationReflection)) continue
      for (const r of [reflection, ...(reflection.signatures ?? [])]) {
        if (r.inheritedFrom && !r.inheritedFrom.reflection) delete r.inheritedFrom
        if (r.overwrites && !r.overwrites.reflection) delete r.overwrites
      }
    }
  })

  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    const names = /** @type {string[]} */ (app.options.getValue("exportsRequiringDocumentation"))
    const kinds = names.reduce((all, name) => {
      const kind = ReflectionKind[/** @type {keyof typeof ReflectionKind} */ (name)]
      if (typeof kind !== "number") throw new Error(`exportsRequiringDocumentation: no reflection kind ${name}`)
      return all | kind
    }, 0)
    // A summary, not only block tags: `/** @since 0.1.0 */` says nothing about what the name is.
    const described = (/** @type {import("typedoc").Comment | undefined} */ comment) =>
      comment?.summary.some((part) => part.text.trim() !== "") ?? false
    const documented = (/** @type {DeclarationReflection} */ r) =>
      described(r.comment) || (r.signatures ?? []).some((s) => described(s.comment))
    const visit = (/** @type {import("typedoc").ContainerReflection} */ container) => {
      for (const child of container.children ?? []) {
        if (child.kindOf(kinds) && !documented(child)) {
          app.logger.validationWarning(
            `${locations.get(child) ?? "?"}: ${child.getFriendlyFullName()} (${ReflectionKind[child.kind]}) has no doc comment`
          )
        }
        if (child.kindOf(ReflectionKind.SomeModule)) visit(child)
      }
    }
    visit(project)
  })
}
