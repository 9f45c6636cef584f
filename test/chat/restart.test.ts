import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isHumanMessage } from '@langchain/core/messages';
import { afterAll, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { createServices } from '../../src/app/services.js';
import { loadConfig } from '../../src/shared/config.js';
import { ScriptedChatModel } from '../helpers/scripted-chat-model.js';
import { ScriptedVision } from '../helpers/scripted-vision.js';

/** A conversation continues after the process restarts: checkpoints live in the database on disk. */
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function start(dataDir: string, model: ScriptedChatModel) {
  const services = await createServices(loadConfig({ COLLECTIONS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), {
    chatModel: model,
    vision: () => new ScriptedVision(),
  });
  const app = createApp(services);
  const chat = async (message: string) => {
    const res = await app.request('/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message, session_id: 'long-trip' }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { services, chat };
}

it('continues a conversation after a restart', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'collections-chat-restart-'));
  dirs.push(dataDir);
  const model = new ScriptedChatModel({ text: 'Noted: you are going to Fukuoka in May.' });
  const before = await start(dataDir, model);
  expect((await before.chat('I am going to Fukuoka in May.')).status).toBe(200);
  await before.services.close();

  model.reply((messages) => ({
    text: `You told me: ${messages
      .filter(isHumanMessage)
      .map((m) => m.content)
      .join(' / ')}`,
  }));
  const after = await start(dataDir, model);
  try {
    const r = await after.chat('Where am I going?');
    expect(r.status).toBe(200);
    expect(r.body.conversation_turn).toBe(2);
    expect(r.body.message.content).toBe('You told me: I am going to Fukuoka in May. / Where am I going?');
  } finally {
    await after.services.close();
  }
}, 60_000);
