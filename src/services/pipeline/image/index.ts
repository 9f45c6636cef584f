export { inspectUpload, type InspectedUpload } from './inspect.js';
export { processImage, sha256Hex, type ProcessedImage } from './process.js';
export { sniffImageType, ftypBrands, type ImageType } from './sniff.js';
export { ImageRejectedError } from './errors.js';
