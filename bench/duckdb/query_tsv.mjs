// Reads `bcftools query -f '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n'` output from stdin into DuckDB and
// runs one question over it, as a data-savvy user would instead of a store: prints the number
// of rows the answer has.
//   node query_tsv.mjs QUESTION SAMPLES_FILE [ARGS...]
// QUESTION: genotype HET_IDX HOMREF_IDX MIN_CARRIERS | carriers KEY | region CHROM BEG END |
//           de-novo TRIOS_FILE (lines "kid_idx dad_idx mom_idx", 0-based sample columns) |
//           sample IDX | shared IDX IDX |
//           groups SPEC (QUANTIFIER:GENOTYPE:IDX,IDX,...;... as `query genotype --group`:
//           quantifier all, any, none or a number; genotype het, hom_alt, hom_ref, carrier, missing)
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [question, samplesFile, ...args] = process.argv.slice(2);
const samples = readFileSync(samplesFile, 'utf8').split('\n').filter(Boolean);
const names = ['chrom', 'pos', 'ref', 'alt', ...samples.map((_, i) => `s${i}`)];
const col = (i) => names[i];
const gt = (i) => `s${i}`;
const alt = (c) => `(${c} LIKE '%1%')`;
const het = (c) => `(${c} IN ('0/1', '1/0', '0|1', '1|0'))`;
const ref = (c) => `(${c} IN ('0/0', '0|0', '0'))`;
const homAlt = (c) => `(${c} IN ('1/1', '1|1', '1'))`;
const missing = (c) => `(${c} IN ('./.', '.|.', '.'))`;
const genotypeTest = { het, hom_alt: homAlt, hom_ref: ref, carrier: alt, missing };

let where;
switch (question) {
  case 'genotype': {
    const [h, r, min] = args.map(Number);
    // One list of every call (a chain of 2,500 additions passes DuckDB's expression depth).
    const carriers = `len(list_filter(list_value(${samples.map((_, i) => gt(i)).join(', ')}), (g) -> g LIKE '%1%'))`;
    where = `${het(gt(h))} AND ${ref(gt(r))} AND ${carriers} >= ${min}`;
    break;
  }
  case 'carriers': {
    const [chrom, pos, refAllele, altAllele] = args[0].split(':');
    // One row per carrier of the variant.
    const rows = `SELECT g FROM (SELECT unnest(list_value(${samples.map((_, i) => gt(i)).join(', ')})) AS g FROM t WHERE ${col(0)} = '${chrom}' AND ${col(1)} = '${pos}' AND ${col(2)} = '${refAllele}' AND ${col(3)} = '${altAllele}') WHERE ${alt('g')}`;
    where = null;
    globalThis.sql = rows;
    break;
  }
  case 'region': {
    const [chrom, beg, end] = args;
    where = `${col(0)} = '${chrom}' AND CAST(${col(1)} AS BIGINT) BETWEEN ${beg} AND ${end}`;
    break;
  }
  case 'de-novo': {
    const trios = readFileSync(args[0], 'utf8').split('\n').filter(Boolean).map((l) => l.split(/\s+/).map(Number));
    where = trios.map(([k, d, m]) => `(${alt(gt(k))} AND ${ref(gt(d))} AND ${ref(gt(m))})`).join(' OR ');
    break;
  }
  case 'sample':
    where = alt(gt(Number(args[0])));
    break;
  case 'shared':
    where = `${alt(gt(Number(args[0])))} AND ${alt(gt(Number(args[1])))}`;
    break;
  case 'groups': {
    where = args[0].split(';').map((group) => {
      const [quantifier, genotype, list] = group.split(':');
      const test = genotypeTest[genotype];
      if (!test) throw new Error(`unknown genotype ${genotype}`);
      const tests = list.split(',').map((i) => test(gt(Number(i))));
      if (quantifier === 'all') return `(${tests.join(' AND ')})`;
      if (quantifier === 'any') return `(${tests.join(' OR ')})`;
      if (quantifier === 'none') return `NOT (${tests.join(' OR ')})`;
      return `((${tests.map((t) => `CASE WHEN ${t} THEN 1 ELSE 0 END`).join(' + ')}) >= ${Number(quantifier)})`;
    }).join(' AND ');
    break;
  }
  default:
    throw new Error(`unknown question ${question}`);
}

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
await conn.run(`CREATE TABLE t AS SELECT * FROM read_csv('/dev/stdin', delim='\t', header=false, auto_detect=false, quote='', escape='', columns={${names.map((n) => `'${n}': 'VARCHAR'`).join(', ')}})`);
const sql = where === null ? `SELECT count(*) AS n FROM (${globalThis.sql})` : `SELECT count(*) AS n FROM t WHERE ${where}`;
const reader = await conn.runAndReadAll(sql);
console.log(String(reader.getRows()[0][0]));
