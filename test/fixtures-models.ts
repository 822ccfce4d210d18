/**
 * The reference's test models (upstream tests/conftest.py, as described in the vectors'
 * SOURCE.md), recreated on disk so the golden manifests can be checked byte for byte.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeTree } from './helpers.js';

export const KNOWN_MODEL_TEXT = 'This is a simple model';

export interface ReferenceFixture {
  /** The model path to hash. */
  path: string;
  /** Whether the reference hashed it with allow_symlinks. */
  allowSymlinks: boolean;
}

/** Creates the fixture named as in the goldens below `root`. */
export async function makeReferenceFixture(root: string, fixture: string): Promise<ReferenceFixture> {
  switch (fixture) {
    case 'sample_model_file': {
      const path = join(root, 'file_model');
      await writeFile(path, KNOWN_MODEL_TEXT);
      return { path, allowSymlinks: false };
    }
    case 'empty_model_file': {
      const path = join(root, 'empty_file_model');
      await writeFile(path, '');
      return { path, allowSymlinks: false };
    }
    case 'sample_model_folder': {
      const path = join(root, 'sample_model');
      const files: Record<string, string> = {};
      for (let i = 0; i < 2; i += 1) for (let j = 0; j < 3; j += 1) files[`d${i}/f${i}${j}`] = `This is file f${i}${j} in d${i}.`;
      for (let i = 0; i < 4; i += 1) files[`f${i}`] = `This is file f${i} in root.`;
      await writeTree(path, files);
      return { path, allowSymlinks: false };
    }
    case 'empty_model_folder': {
      const path = join(root, 'empty_folder_model');
      await mkdir(path);
      return { path, allowSymlinks: false };
    }
    case 'model_folder_with_empty_file': {
      const path = join(root, 'empty_file_inside_model');
      await writeTree(path, { empty_file: '' });
      return { path, allowSymlinks: false };
    }
    case 'deep_model_folder': {
      const path = join(root, 'deep_model');
      const files: Record<string, string> = {};
      for (let i = 0; i < 4; i += 1) files[`d0/d1/d2/d3/d4/f${i}`] = `This is file f${i}.`;
      await writeTree(path, files);
      return { path, allowSymlinks: false };
    }
    case 'symlink_model_folder': {
      const path = join(root, 'symlink_model');
      const external = join(root, 'external_file');
      await writeFile(external, KNOWN_MODEL_TEXT);
      await mkdir(path);
      await symlink(external, join(path, 'symlink_file'));
      return { path, allowSymlinks: true };
    }
    default:
      throw new Error(`unknown reference fixture ${fixture}`);
  }
}
