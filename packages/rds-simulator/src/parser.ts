/**
 * Parses a whole command line (one or more `;`/newline separated commands) into commands, the way RouterOS
 * does it: the full line is parsed first, and a parse error anywhere means nothing runs. Pure.
 */
import {
  ROOT_MENU,
  itemsFromText,
  type ArgValue,
  type CommandSpec,
  type Condition,
  type Filter,
  type ItemRef,
  type MenuName,
  type MenuSpec,
  type Operator,
  type RawValue,
} from './grammar.js';
import {
  CliParseError,
  badCommandName,
  expectedEndOfCommand,
  syntaxError,
  tokenize,
  type Token,
} from './lexer.js';

export interface ParsedCommand {
  menu: MenuName;
  verb: string;
  args: Map<string, ArgValue>;
  flags: Set<string>;
  items?: ItemRef;
  where?: Filter;
}

export interface ParseOptions {
  /** Whether the `/disk nvme-tcp` menu exists (older RouterOS versions answer `bad command name`). */
  nvmeTcpMenu: boolean;
}

class TokenStream {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token {
    const last = this.tokens[this.tokens.length - 1];
    const token = this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] ?? last;
    if (!token) throw new Error('token stream without end token');
    return token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  atCommandEnd(): boolean {
    const kind = this.peek().kind;
    return kind === 'separator' || kind === 'end';
  }
}

/** Parses `input`; throws CliParseError with the exact RouterOS message when it would refuse the line. */
export function parseCommandLine(input: string, options: ParseOptions): ParsedCommand[] {
  const stream = new TokenStream(tokenize(input));
  const commands: ParsedCommand[] = [];
  while (stream.peek().kind !== 'end') {
    if (stream.peek().kind === 'separator') {
      stream.next();
      continue;
    }
    const command = parseCommand(stream, options);
    if (command) commands.push(command);
  }
  return commands;
}

function parseCommand(stream: TokenStream, options: ParseOptions): ParsedCommand | undefined {
  const target = resolveCommand(stream, options);
  if (!target) return undefined; // only a menu path: RouterOS just changes the current menu
  const { menu, verb, spec } = target;
  const command: ParsedCommand = { menu: menu.name, verb, args: new Map(), flags: new Set() };
  while (!stream.atCommandEnd()) parseArgument(stream, menu, spec, command);
  return command;
}

interface ResolvedCommand {
  menu: MenuSpec;
  verb: string;
  spec: CommandSpec;
}

/** Walks the menu path (`/disk/print`, `/disk nvme-tcp print`, `disk print`) up to the command name. */
function resolveCommand(stream: TokenStream, options: ParseOptions): ResolvedCommand | undefined {
  let menu = ROOT_MENU;
  if (stream.peek().kind !== 'word') throw syntaxError(stream.peek());
  while (stream.peek().kind === 'word') {
    const token = stream.next();
    let column = token.column;
    for (const segment of token.text.split('/')) {
      const at = { line: token.line, column };
      column += segment.length + 1;
      if (segment === '') continue;
      const child = submenu(menu, segment, options);
      if (child) {
        menu = child;
        continue;
      }
      const spec = menu.commands[segment];
      if (!spec) throw badCommandName(segment, at);
      if (column <= token.column + token.text.length)
        throw syntaxError({ line: token.line, column: column - 1 });
      return { menu, verb: segment, spec };
    }
  }
  if (!stream.atCommandEnd()) throw syntaxError(stream.peek());
  return undefined;
}

function submenu(menu: MenuSpec, name: string, options: ParseOptions): MenuSpec | undefined {
  const child = menu.menus?.[name];
  if (child?.name === 'disk nvme-tcp' && !options.nvmeTcpMenu) return undefined;
  return child;
}

function parseArgument(stream: TokenStream, menu: MenuSpec, spec: CommandSpec, command: ParsedCommand): void {
  const token = stream.peek();
  const assignment = isAdjacentOperator(stream.peek(1), '=');
  if (token.kind === 'word' && assignment) {
    parseNamedArgument(stream, menu, spec, command);
  } else if (token.kind === 'word' && token.text === 'where' && spec.where) {
    stream.next();
    command.where = parseConditions(stream, menu, (t) => t.kind === 'separator' || t.kind === 'end');
  } else if (token.kind === 'word' && spec.flags?.includes(token.text)) {
    command.flags.add(stream.next().text);
  } else if (
    spec.items &&
    !command.items &&
    (token.kind === 'word' || token.kind === 'string' || token.kind === 'open')
  ) {
    command.items = parseItems(stream, menu);
  } else if (token.kind === 'word' || token.kind === 'string') {
    throw expectedEndOfCommand(token);
  } else {
    throw syntaxError(token);
  }
}

function parseNamedArgument(
  stream: TokenStream,
  menu: MenuSpec,
  spec: CommandSpec,
  command: ParsedCommand,
): void {
  const nameToken = stream.next();
  const parse = spec.args?.[nameToken.text];
  if (!parse) throw expectedEndOfCommand(nameToken);
  stream.next(); // '='
  const raw = parseRawValue(stream, menu);
  const value = parse(raw);
  if (value === undefined) throw new CliParseError(`invalid value for argument ${nameToken.text}`);
  command.args.set(nameToken.text, value);
}

/** The value right after `name=`: a bare word, a quoted string, `[find ...]`, or empty when nothing adjoins. */
function parseRawValue(stream: TokenStream, menu: MenuSpec): RawValue {
  const token = stream.peek();
  if (token.spacedBefore || token.kind === 'separator' || token.kind === 'end')
    return { kind: 'text', text: '' };
  if (token.kind === 'open') return parseFind(stream, menu);
  if (token.kind === 'word' || token.kind === 'string') {
    stream.next();
    return { kind: 'text', text: token.text };
  }
  throw syntaxError(token);
}

function parseItems(stream: TokenStream, menu: MenuSpec): ItemRef {
  const token = stream.peek();
  if (token.kind === 'open') return parseFind(stream, menu);
  stream.next();
  const items = itemsFromText(token.text);
  if (!items) throw syntaxError(token);
  return items;
}

/** `[find <conditions>]` or `[find where <conditions>]`, evaluated in the menu of the enclosing command. */
function parseFind(stream: TokenStream, menu: MenuSpec): ItemRef {
  stream.next(); // '['
  const verb = stream.next();
  if (verb.kind !== 'word') throw syntaxError(verb);
  if (verb.text !== 'find') throw badCommandName(verb.text, verb);
  if (stream.peek().kind === 'word' && stream.peek().text === 'where') stream.next();
  const conditions = parseConditions(stream, menu, (t) => t.kind === 'close');
  const close = stream.next();
  if (close.kind !== 'close') throw syntaxError(close);
  return { kind: 'find', conditions };
}

/**
 * `prop=value`, `prop~"regex"`, `prop!=value`, joined by `and` or just whitespace, alternatives joined by `or`, up to
 * `isEnd`. A connective needs a condition on either side.
 */
function parseConditions(stream: TokenStream, menu: MenuSpec, isEnd: (token: Token) => boolean): Filter {
  let conditions: Condition[] = [];
  const alternatives: Filter = [conditions];
  let connective: Token | undefined;
  while (!isEnd(stream.peek())) {
    const property = stream.next();
    if (property.kind !== 'word') throw syntaxError(property);
    if ((property.text === 'and' || property.text === 'or') && conditions.length > 0 && !connective) {
      connective = property;
      if (property.text === 'or') alternatives.push((conditions = []));
      continue;
    }
    connective = undefined;
    if (!menu.properties.includes(property.text)) throw syntaxError(property);
    const operator = stream.next();
    if (operator.kind !== 'operator' || operator.spacedBefore) throw syntaxError(operator);
    const value = stream.next();
    if ((value.kind !== 'word' && value.kind !== 'string') || value.spacedBefore) throw syntaxError(value);
    if (operator.text === '~') assertValidRegex(value);
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- the tokenizer emits operator tokens only for the Operator spellings.
    conditions.push({ property: property.text, operator: operator.text as Operator, value: value.text });
  }
  if (connective) throw syntaxError(stream.peek());
  return alternatives;
}

function assertValidRegex(token: Token): void {
  try {
    new RegExp(token.text);
  } catch {
    throw syntaxError(token);
  }
}

function isAdjacentOperator(token: Token, operator: string): boolean {
  return token.kind === 'operator' && token.text === operator && !token.spacedBefore;
}
