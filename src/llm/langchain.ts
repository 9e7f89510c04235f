import type * as Messages from '@langchain/core/messages';
import type * as OpenAI from '@langchain/openai';
import { lazyModule } from '../crm/kernel/index.ts';

/**
 * LangChain, loaded on the first LLM call instead of at start: a process without an LLM
 * configured (or one whose turns the rules answer) never loads it — `@langchain/core/messages`
 * and `@langchain/openai` held ~12 MB of heap and ~37 MB of RSS in every process
 * (docs/benchmarks.md, bench:http memory). Every use goes through here, so one copy (CommonJS,
 * as `lazyModule` requires) is ever loaded: an ESM import of either beside it would load the
 * library twice.
 */
const messages = lazyModule<typeof Messages>('@langchain/core/messages');
const openai = lazyModule<typeof OpenAI>('@langchain/openai');

export const systemMessage = (text: string): Messages.SystemMessage => new (messages().SystemMessage)(text);
export const humanMessage = (text: string): Messages.HumanMessage => new (messages().HumanMessage)(text);
export const chatOpenAI = (fields: ConstructorParameters<typeof OpenAI.ChatOpenAI>[0]): OpenAI.ChatOpenAI => new (openai().ChatOpenAI)(fields);
