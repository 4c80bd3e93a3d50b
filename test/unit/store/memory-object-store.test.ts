import { MemoryObjectStore } from '../../../src/store/index.js';
import { objectStoreContract } from '../../harness/object-store-contract.js';

objectStoreContract('MemoryObjectStore', () => new MemoryObjectStore());
