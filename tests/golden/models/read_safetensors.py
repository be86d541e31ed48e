#!/usr/bin/python3
"""An independent safetensors reader (numpy only), for checking the weights genre writes.

  /usr/bin/python3 tests/golden/models/read_safetensors.py FILE
      prints JSON: {"metadata": {...}, "checksum_ok": true|false|null, "tensors": {NAME: {"shape": [...], "sha256": HEX, "sum": S}}}
      (sha256 of the tensor's float32 little-endian bytes; sum in float64; checksum_ok compares the metadata's sha256, when
      present, with the sha256 of the data section)
  /usr/bin/python3 tests/golden/models/read_safetensors.py --rewrite FILE OUT
      writes the same tensors as another writer might: names in reverse order, data in that order, no padding, the sha256
      of its own data

The format: u64 little-endian header length N, N bytes of UTF-8 JSON {"__metadata__": {str: str}, NAME: {"dtype", "shape",
"data_offsets": [begin, end]}}, then the raw little-endian data (offsets relative to the end of the header).
"""
import hashlib, json, struct, sys
import numpy as np

DTYPES = {'F32': '<f4', 'F64': '<f8', 'F16': '<f2', 'I64': '<i8', 'I32': '<i4'}

def read(path):
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n].decode('utf-8'))
    data = raw[8 + n:]
    meta = header.pop('__metadata__', {})
    tensors = {}
    for name, t in header.items():
        begin, end = t['data_offsets']
        tensors[name] = np.frombuffer(data[begin:end], dtype=DTYPES[t['dtype']]).reshape(t['shape'])
    return meta, tensors, data

def summary(path):
    meta, tensors, data = read(path)
    ok = None if 'sha256' not in meta else meta['sha256'] == hashlib.sha256(data).hexdigest()
    return {
        'metadata': meta,
        'checksum_ok': ok,
        'tensors': {name: {'shape': list(a.shape), 'sha256': hashlib.sha256(np.ascontiguousarray(a, dtype='<f4').tobytes()).hexdigest(),
                           'sum': float(a.astype(np.float64).sum())} for name, a in tensors.items()},
    }

def rewrite(path, out):
    meta, tensors, _ = read(path)
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors, reverse=True):
        b = np.ascontiguousarray(tensors[name], dtype='<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(tensors[name].shape), 'data_offsets': [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    header['__metadata__'] = {**{k: v for k, v in meta.items() if k != 'sha256'},
                              'sha256': hashlib.sha256(b''.join(chunks)).hexdigest()}
    h = json.dumps(header).encode('utf-8')
    with open(out, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(chunks))

if __name__ == '__main__':
    if sys.argv[1] == '--rewrite':
        rewrite(sys.argv[2], sys.argv[3])
    else:
        print(json.dumps(summary(sys.argv[1])))
