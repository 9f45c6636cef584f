export { ParameterStoreSecrets, type ParameterStoreSecretsOptions } from './parameter-store.js';
export { readSecretString, regionOfArn, type SecretsManagerReaderOptions } from './secrets-manager.js';
