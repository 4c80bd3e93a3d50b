import { RedisObjectStore } from '../../../src/store/index.js';
import { objectStoreContract } from '../../harness/object-store-contract.js';
import { useRedis } from '../../harness/redis.js';

const redis = useRedis();
objectStoreContract('RedisObjectStore', () => new RedisObjectStore(redis.client, redis.prefix));
