import { describe, expect, it } from 'vitest';
import { intents } from './catalogue.ts';
import { intentOfTool, intentTools } from './tools.ts';

describe('intent tools', () => {
  it('derives one valid function tool per staff intent from the catalogue', () => {
    const tools = intentTools(intents, 'staff');
    expect(tools.map((t) => intentOfTool(t.function.name))).toEqual(intents.filter((i) => i.audience === 'staff').map((i) => i.name));
    for (const t of tools) expect(t.function.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    const tag = tools.find((t) => t.function.name === 'tag__add')!;
    expect(tag.function.parameters).toMatchObject({ type: 'object', properties: { phone: { type: 'string' }, tag: { type: 'string' } }, required: ['tag'] });
    expect(intentTools(intents, 'member').map((t) => intentOfTool(t.function.name))).toEqual(intents.filter((i) => i.audience === 'member').map((i) => i.name));
  });
});
