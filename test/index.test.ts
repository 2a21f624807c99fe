import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * The package's public surface, read with the TypeScript compiler from `index.ts`: every type a
 * public signature names must be exported too (a consumer cannot otherwise write it down), and a
 * construct shows its collections read-only.
 */
const root = path.join(__dirname, '..');

const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  resolveJsonModule: true,
  esModuleInterop: true,
  types: [],
};

/**
 * Every check below is about Office Zones' own declarations, so the packages' declarations
 * (aws-cdk-lib's alone are some 3,000 files, 10 s to parse) are read as one `any` each; the
 * TypeScript and Node.js libraries stay real. On 1 December 2026 every answer the checks derive
 * (the own types each export names, each class member's array, read-only and Map/Set status) was
 * the same as with every declaration read.
 */
const host = ts.createCompilerHost(options);
const readSourceFile = host.getSourceFile.bind(host);
const PACKAGES = `${path.sep}node_modules${path.sep}`;
const REAL = [`${PACKAGES}typescript${path.sep}`, `${PACKAGES}@types${path.sep}node${path.sep}`];
host.getSourceFile = (file, languageVersion, ...rest) =>
  file.includes(PACKAGES) && !REAL.some((real) => file.includes(real))
    ? ts.createSourceFile(file, 'declare const stub: any;\nexport = stub;\n', languageVersion)
    : readSourceFile(file, languageVersion, ...rest);

const program = ts.createProgram([path.join(root, 'index.ts')], options, host);
const checker = program.getTypeChecker();
const index = program.getSourceFile(path.join(root, 'index.ts'))!;

const ours = (file: ts.SourceFile) =>
  !file.fileName.includes('node_modules') && file.fileName.startsWith(root);
const resolved = (symbol: ts.Symbol) =>
  symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;

const exported = new Set(
  checker.getExportsOfModule(checker.getSymbolAtLocation(index)!).map(resolved),
);

const isPublic = (member: ts.Node) =>
  !(
    ts.getCombinedModifierFlags(member as ts.Declaration) &
    ts.ModifierFlags.NonPublicAccessibilityModifier
  ) &&
  !(ts.isPropertyDeclaration(member) || ts.isMethodDeclaration(member) || ts.isGetAccessor(member)
    ? ts.isPrivateIdentifier(member.name)
    : false);

/** The type annotations of a declaration's public signature. */
function publicTypeNodes(declaration: ts.Declaration, inferred: ts.Node[] = []): ts.Node[] {
  const nodes: ts.Node[] = [];
  const signature = (d: ts.SignatureDeclaration) => {
    d.parameters.forEach((p) => p.type && nodes.push(p.type));
    if (d.type) nodes.push(d.type);
  };
  if (ts.isFunctionDeclaration(declaration)) signature(declaration);
  if (ts.isTypeAliasDeclaration(declaration)) nodes.push(declaration.type);
  if (ts.isVariableDeclaration(declaration) && declaration.type) nodes.push(declaration.type);
  if (ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration)) {
    declaration.heritageClauses?.forEach((h) => h.types.forEach((t) => nodes.push(t)));
    for (const member of declaration.members) {
      if (!isPublic(member)) continue;
      if ((ts.isPropertyDeclaration(member) || ts.isPropertySignature(member)) && member.type)
        nodes.push(member.type);
      else if (ts.isPropertyDeclaration(member)) inferred.push(member);
      if (
        ts.isMethodDeclaration(member) ||
        ts.isMethodSignature(member) ||
        ts.isConstructorDeclaration(member) ||
        ts.isGetAccessor(member)
      )
        signature(member);
    }
  }
  return nodes;
}

/** Our own types in the inferred type of a property without an annotation, type arguments included. */
function inferredOwnTypes(node: ts.Node): ts.Symbol[] {
  const found: ts.Symbol[] = [];
  const visit = (type: ts.Type, depth: number) => {
    if (depth > 3) return;
    for (const symbol of [type.aliasSymbol, type.getSymbol()]) {
      const declaration = symbol?.declarations?.[0];
      if (symbol && declaration && ours(declaration.getSourceFile())) found.push(symbol);
    }
    const args = [
      ...(type.aliasTypeArguments ?? []),
      ...(((type as ts.ObjectType).objectFlags ?? 0) & ts.ObjectFlags.Reference
        ? checker.getTypeArguments(type as ts.TypeReference)
        : []),
    ];
    args.forEach((arg) => visit(arg, depth + 1));
  };
  visit(checker.getTypeAtLocation(node), 0);
  return found;
}

/** Names of our own types (and values a `typeof` names) that a node refers to. */
function referencedOwnTypes(node: ts.Node): ts.Symbol[] {
  const found: ts.Symbol[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isTypeReferenceNode(n) || ts.isExpressionWithTypeArguments(n) || ts.isTypeQueryNode(n)) {
      const name = ts.isTypeReferenceNode(n)
        ? n.typeName
        : ts.isTypeQueryNode(n)
          ? n.exprName
          : n.expression;
      const symbol = checker.getSymbolAtLocation(name);
      const target = symbol && resolved(symbol);
      const declaration = target?.declarations?.[0];
      if (target && declaration && ours(declaration.getSourceFile())) found.push(target);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

const where = (symbol: ts.Symbol) => {
  const declaration = symbol.declarations![0]!;
  return `${symbol.name} (${path.relative(root, declaration.getSourceFile().fileName)})`;
};

describe('the public surface of index.ts', () => {
  test('exports every type its public signatures name', () => {
    const missing = new Set<string>();
    for (const symbol of exported) {
      for (const declaration of symbol.declarations ?? []) {
        if (!ours(declaration.getSourceFile())) continue;
        const inferred: ts.Node[] = [];
        const referenced = [
          ...publicTypeNodes(declaration, inferred).flatMap(referencedOwnTypes),
          ...inferred.flatMap(inferredOwnTypes),
        ];
        for (const type of referenced) {
          // A type parameter is the signature's own, not a type to import.
          if (type.flags & ts.SymbolFlags.TypeParameter) continue;
          if (!exported.has(type)) missing.add(`${where(type)}, used by ${symbol.name}`);
        }
      }
    }
    expect([...missing].sort()).toEqual([]);
  });

  test('constructs show their collections read-only', () => {
    const mutable: string[] = [];
    for (const symbol of exported) {
      for (const declaration of symbol.declarations ?? []) {
        if (!ours(declaration.getSourceFile()) || !ts.isClassDeclaration(declaration)) continue;
        for (const member of declaration.members) {
          if (!isPublic(member)) continue;
          // An override keeps the type aws-cdk-lib gave the member (Stack.availabilityZones).
          if (ts.getCombinedModifierFlags(member as ts.Declaration) & ts.ModifierFlags.Override)
            continue;
          const type =
            ts.isPropertyDeclaration(member) || ts.isGetAccessor(member)
              ? member.type
                ? checker.getTypeFromTypeNode(member.type)
                : checker.getTypeAtLocation(member)
              : undefined;
          if (!type) continue;
          const text = checker.typeToString(type);
          if (
            /^(?:Map|Set)</.test(text) ||
            (checker.isArrayType(type) && !text.startsWith('readonly'))
          )
            mutable.push(`${symbol.name}.${member.name?.getText()}: ${text}`);
        }
      }
    }
    expect(mutable.sort()).toEqual([]);
  });

  test('every public prop has a summary, and every optional prop a @default', () => {
    // Every construct of the library (handlers are not part of its surface).
    const scope = [
      /^constructs\/(?:front-office|cost-attribution|shared|back-office|broker)\/[^/]+\.ts$/,
    ];
    const undocumented: string[] = [];
    for (const file of program.getSourceFiles()) {
      const relative = path.relative(root, file.fileName);
      if (!scope.some((pattern) => pattern.test(relative))) continue;
      file.forEachChild((node) => {
        if (!ts.isInterfaceDeclaration(node) && !ts.isClassDeclaration(node)) return;
        if (!(ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export)) return;
        const props = ts.isInterfaceDeclaration(node) && /(?:Props|Options)$/.test(node.name.text);
        for (const member of node.members) {
          if (!ts.isPropertySignature(member) && !ts.isPropertyDeclaration(member)) continue;
          if (!isPublic(member)) continue;
          const name = `${relative} ${node.name?.text}.${member.name.getText()}`;
          const summary = ts
            .getJSDocCommentsAndTags(member)
            .some(
              (doc) => ts.isJSDoc(doc) && typeof doc.comment === 'string' && doc.comment.trim(),
            );
          if (!summary) undocumented.push(`${name}: no summary`);
          const hasDefault = ts.getJSDocTags(member).some((tag) => tag.tagName.text === 'default');
          if (props && member.questionToken && !hasDefault)
            undocumented.push(`${name}: no @default`);
        }
      });
    }
    expect(undocumented).toEqual([]);
  });
});
