export { SqlChatStore, type SqlChatStoreOptions } from './store.js';
export { SqlSaver, type SqlSaverOptions } from './saver.js';
export { CHAT_TABLES } from './thread-rows.js';
