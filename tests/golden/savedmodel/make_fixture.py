#!/usr/bin/env python3
"""Writes tinyRNNnet/, a tiny Keras SavedModel in the format of the authors' models (TF 2.5 `model.save(dir)`), with the
Python standard library only, so the import tests run in any clone (issue 14, point 6).

The model has RNN1net's shape at toy size: input (15, 1) -> Dense(3, linear) -> LSTM(2) -> Dense(114, softmax) (114
genres, so it scores the synthetic Kaggle-format files). Its weights are multiples of 1/64 (exact in float32) chosen
here, and written once more to tinyRNNnet.weights.json so tests compare the import with this script's numbers.

Files, as TensorFlow writes them:
  variables/variables.index               LevelDB table (one uncompressed data block with restart points every 16
                                          entries, an empty meta-index block, an index block, a 48-byte footer; every
                                          block's trailer holds its masked crc32c) mapping keys to BundleEntryProto;
                                          the "" key holds the BundleHeaderProto
  variables/variables.data-00000-of-00001 the tensors, little-endian, in object-graph order: the model's variables,
                                          Adam's iter/beta_1/beta_2/decay/learning_rate, the loss and accuracy metrics,
                                          Adam's m and v slots, then the TrackableObjectGraph as a scalar string tensor
  keras_metadata.pb                       SavedMetadata: one node per Keras object with its JSON metadata
  saved_model.pb                          a SavedModel proto whose MetaGraphDef carries only MetaInfoDef (tags "serve",
                                          versions): Genre never reads it, and without a graph TensorFlow cannot serve it
Checkpoint keys come from a breadth-first walk of the object graph (the first path that reaches a variable), which
is why the LSTM's weights are variables/2..4 and the Dense layers' are layer_with_weights-N/..., as in RNN1net.

Usage: python3 make_fixture.py [OUT_DIR]   (default: tinyRNNnet/ beside this script; the output is deterministic)
       python3 make_fixture.py --check-index PATH/variables.index   (exit 0 when this writer re-encodes it byte for byte)
"""
import json
import os
import struct
import sys

# --- encodings ---------------------------------------------------------------------------------------------------------

CRC_TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    CRC_TABLE.append(c)


def crc32c(data, crc=0):
    """CRC-32C (Castagnoli), continuing from a previous (unmasked) crc."""
    crc ^= 0xFFFFFFFF
    for b in data:
        crc = CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def mask(crc):
    """LevelDB/TensorFlow's masked crc: rotate right by 15 and add a constant."""
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def varint(v):
    out = bytearray()
    while True:
        if v < 0x80:
            out.append(v)
            return bytes(out)
        out.append((v & 0x7F) | 0x80)
        v >>= 7


def field_varint(number, v):
    """A proto3 varint field; zero (the default) is not written."""
    return varint(number << 3) + varint(v) if v else b""


def field_bytes(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def field_fixed32(number, v):
    return varint(number << 3 | 5) + struct.pack("<I", v)


# --- the model ---------------------------------------------------------------------------------------------------------

CLASSES = 114
DENSE, LSTM = 3, 2


def values(count, seed):
    """Deterministic multiples of 1/64 in [-0.78, 0.78]: exact in float32, none of them all zero."""
    return [((seed * 31 + i * 17) % 101 - 50) / 64.0 for i in range(count)]


class Obj:
    """A trackable object: ordered named children; a variable has a dtype, shape and values."""

    def __init__(self, name="", dtype=None, shape=(), data=None, children=()):
        self.name, self.dtype, self.shape, self.data = name, dtype, tuple(shape), data
        self.children = list(children)


def var(name, shape, seed):
    n = 1
    for d in shape:
        n *= d
    return Obj(name, "float", shape, values(n, seed))


def scalar(name, dtype, v):
    return Obj(name, dtype, (), [v])


def empty():
    return Obj()


def layer(front, weights, states=False, sublayers=()):
    """A Keras layer as TF 2.5 tracks it: its own children, then variables / regularization_losses /
    trainable_variables / keras_api (which lists them again, with the layer's states and sub-layers)."""
    variables = Obj(children=[(str(i), w) for i, w in enumerate(weights)])
    trainable = Obj(children=[(str(i), w) for i, w in enumerate(weights)])
    losses = empty()
    keras_api = Obj(children=[("non_trainable_variables", empty()), ("variables", variables), ("layer_regularization_losses", empty())]
                    + ([("states", empty())] if states else [])
                    + [("regularization_losses", losses), ("metrics", empty()), ("layer_metrics", empty()),
                       ("trainable_variables", trainable), ("layers", Obj(children=[(str(i), l) for i, l in enumerate(sublayers)]))])
    return Obj(children=list(front) + [("variables", variables), ("regularization_losses", losses),
                                       ("trainable_variables", trainable), ("keras_api", keras_api)])


dense_kernel, dense_bias = var("dense/kernel", (1, DENSE), 1), var("dense/bias", (DENSE,), 2)
lstm_kernel = var("lstm/lstm_cell/kernel", (DENSE, 4 * LSTM), 3)
lstm_recurrent = var("lstm/lstm_cell/recurrent_kernel", (LSTM, 4 * LSTM), 4)
lstm_bias = var("lstm/lstm_cell/bias", (4 * LSTM,), 5)
out_kernel, out_bias = var("dense_1/kernel", (LSTM, CLASSES), 6), var("dense_1/bias", (CLASSES,), 7)
WEIGHTS = [dense_kernel, dense_bias, lstm_kernel, lstm_recurrent, lstm_bias, out_kernel, out_bias]

dense = layer([("kernel", dense_kernel), ("bias", dense_bias)], [dense_kernel, dense_bias])
cell_weights = [lstm_kernel, lstm_recurrent, lstm_bias]
cell = layer([("state_size", empty()), ("kernel", lstm_kernel), ("recurrent_kernel", lstm_recurrent), ("bias", lstm_bias)], cell_weights)
lstm = layer([("cell", cell), ("state_spec", empty())], cell_weights, states=True, sublayers=[cell])
output = layer([("kernel", out_kernel), ("bias", out_bias)], [out_kernel, out_bias])

optimizer = Obj(children=[("iter", scalar("Adam/iter", "int64", 20)), ("beta_1", scalar("Adam/beta_1", "float", 0.9)),
                          ("beta_2", scalar("Adam/beta_2", "float", 0.999)), ("decay", scalar("Adam/decay", "float", 0.0)),
                          ("learning_rate", scalar("Adam/learning_rate", "float", 0.001))])


def metric(extra=()):
    total, count = scalar("total", "float", 12.5), scalar("count", "float", 20.0)
    listing = Obj(children=[("0", total), ("1", count)])
    return Obj(children=[("total", total), ("count", count)] + list(extra) + [("variables", listing), ("keras_api", Obj(children=[("variables", listing)]))])


metrics = Obj(children=[("0", metric()), ("1", metric([("_fn_kwargs", empty())]))])
all_variables = Obj(children=[(str(i), w) for i, w in enumerate(WEIGHTS)])
all_trainable = Obj(children=[(str(i), w) for i, w in enumerate(WEIGHTS)])
root_losses = empty()
root = Obj(children=[("layer_with_weights-0", dense), ("layer-0", dense), ("layer_with_weights-1", lstm), ("layer-1", lstm),
                     ("layer_with_weights-2", output), ("layer-2", output), ("optimizer", optimizer),
                     ("variables", all_variables), ("regularization_losses", root_losses), ("trainable_variables", all_trainable),
                     ("keras_api", Obj(children=[("non_trainable_variables", empty()), ("variables", all_variables),
                                                 ("layer_regularization_losses", empty()), ("regularization_losses", root_losses),
                                                 ("metrics", metrics), ("layer_metrics", empty()),
                                                 ("trainable_variables", all_trainable),
                                                 ("layers", Obj(children=[("0", dense), ("1", lstm), ("2", output)]))])),
                     ("signatures", empty())])

# --- the object graph (node ids and checkpoint keys by breadth-first walk, as TensorFlow assigns them) -----------------

nodes, ids, paths = [], {}, {}
queue = [(root, [])]
while queue:
    obj, path = queue.pop(0)
    if id(obj) in ids:
        continue
    ids[id(obj)] = len(nodes)
    nodes.append(obj)
    paths[id(obj)] = path
    for name, child in obj.children:
        if id(child) not in ids:
            queue.append((child, path + [name]))
# BFS may queue an object twice before visiting it: keep the first path (the skip above) and number in visit order.

SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"


def key(obj):
    return "/".join(paths[id(obj)]) + SUFFIX


# Adam's slots come after every other node: m for each weight, then v, each in the order of their weights' nodes.
slots = []
for slot in ("m", "v"):
    for w in sorted(WEIGHTS, key=lambda w: ids[id(w)]):
        s = var(f"Adam/{w.name}/{slot}", w.shape, 0)
        s.data = [abs(x) / 4 if slot == "v" else x / 8 for x in w.data]
        s.slot_of, s.slot_name = w, slot
        ids[id(s)] = len(nodes)
        nodes.append(s)
        slots.append(s)


def slot_key(s):
    return "/".join(paths[id(s.slot_of)]) + "/.OPTIMIZER_SLOT/optimizer/" + s.slot_name + SUFFIX


def checkpoint_key(obj):
    return slot_key(obj) if hasattr(obj, "slot_of") else key(obj)


def node_proto(obj):
    body = b""
    for name, child in obj.children:
        body += field_bytes(1, field_varint(1, ids[id(child)]) + field_bytes(2, name.encode()))
    if obj.dtype:
        body += field_bytes(2, field_bytes(1, b"VARIABLE_VALUE") + field_bytes(2, obj.name.encode()) + field_bytes(3, checkpoint_key(obj).encode()))
    if obj is optimizer:
        for s in slots:
            body += field_bytes(3, field_varint(1, ids[id(s.slot_of)]) + field_bytes(2, s.slot_name.encode()) + field_varint(3, ids[id(s)]))
    return body


object_graph = b"".join(field_bytes(1, node_proto(n)) for n in nodes)

# --- variables/ ----------------------------------------------------------------------------------------------------------

DTYPES = {"float": (1, "<f"), "int64": (9, "<q")}


def bundle_entry(dtype, shape, offset, size, crc):
    shape_proto = b"".join(field_bytes(2, field_varint(1, d)) for d in shape)
    return field_varint(1, dtype) + field_bytes(2, shape_proto) + field_varint(4, offset) + field_varint(5, size) + field_fixed32(6, crc)


def bundle():
    data, entries = bytearray(), {}
    for obj in nodes:
        if obj.dtype:
            code, fmt = DTYPES[obj.dtype]
            raw = b"".join(struct.pack(fmt, v) for v in obj.data)
            entries[checkpoint_key(obj)] = bundle_entry(code, obj.shape, len(data), len(raw), mask(crc32c(raw)))
            data += raw
    # A scalar string: varint64 length, masked crc32c of the length (as uint32), the bytes; the entry's crc covers all three.
    length = struct.pack("<I", len(object_graph))
    crc = crc32c(length)
    raw = varint(len(object_graph)) + struct.pack("<I", mask(crc)) + object_graph
    crc = crc32c(object_graph, crc32c(struct.pack("<I", mask(crc)), crc))
    entries["_CHECKPOINTABLE_OBJECT_GRAPH"] = bundle_entry(7, (), len(data), len(raw), mask(crc))
    data += raw
    header = field_varint(1, 1) + field_bytes(3, field_varint(1, 1))  # num_shards 1, little-endian, version {producer 1}
    return bytes(data), [(b"", header)] + sorted((k.encode(), v) for k, v in entries.items())


def block(entries, restart_interval):
    out, restarts, previous = bytearray(), [], b""
    for i, (k, v) in enumerate(entries):
        shared = 0
        if i % restart_interval == 0:
            restarts.append(len(out))
        else:
            while shared < min(len(k), len(previous)) and k[shared] == previous[shared]:
                shared += 1
        out += varint(shared) + varint(len(k) - shared) + varint(len(v)) + k[shared:] + v
        previous = k
    restarts = restarts or [0]
    return bytes(out) + b"".join(struct.pack("<I", r) for r in restarts) + struct.pack("<I", len(restarts))


def short_successor(k):
    """LevelDB's FindShortSuccessor: the first byte that can grow, incremented, and the key cut after it."""
    for i, b in enumerate(k):
        if b != 0xFF:
            return k[:i] + bytes([b + 1])
    return k


def table(entries):
    out = bytearray()

    def put(contents):
        handle = varint(len(out)) + varint(len(contents))
        out.extend(contents + b"\x00" + struct.pack("<I", mask(crc32c(b"\x00", crc32c(contents)))))
        return handle

    data = put(block(entries, 16))
    meta = put(block([], 16))
    index = put(block([(short_successor(entries[-1][0]), data)], 1))
    footer = (meta + index).ljust(40, b"\x00") + struct.pack("<Q", 0xDB4775248B80FB57)
    return bytes(out + footer)


# --- keras_metadata.pb and saved_model.pb ------------------------------------------------------------------------------

def shape_tuple(*items):
    return {"class_name": "__tuple__", "items": list(items)}


dense_config = {"name": "dense", "trainable": True, "batch_input_shape": shape_tuple(None, 15, 1), "dtype": "float32",
                "units": DENSE, "activation": "linear", "use_bias": True}
lstm_config = {"name": "lstm", "trainable": True, "dtype": "float32", "return_sequences": False, "return_state": False,
               "go_backwards": False, "stateful": False, "unroll": False, "time_major": False, "units": LSTM,
               "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True, "unit_forget_bias": True,
               "dropout": 0.0, "recurrent_dropout": 0.0, "implementation": 2}
cell_config = {k: v for k, v in lstm_config.items() if k not in ("return_sequences", "return_state", "go_backwards", "stateful", "unroll", "time_major")}
cell_config["name"] = "lstm_cell"
output_config = {"name": "dense_1", "trainable": True, "dtype": "float32", "units": CLASSES, "activation": "softmax", "use_bias": True}
sequential = {"name": "sequential", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": shape_tuple(None, 15, 1), "dtype": "float32", "sparse": False,
                                            "ragged": False, "name": "dense_input"}},
    {"class_name": "Dense", "config": dense_config}, {"class_name": "LSTM", "config": lstm_config},
    {"class_name": "Dense", "config": output_config}]}


def keras_node(node_id, path, identifier, metadata):
    return field_bytes(1, field_varint(2, node_id) + field_bytes(3, path.encode()) + field_bytes(4, identifier.encode())
                       + field_bytes(5, json.dumps(metadata).encode()) + field_bytes(6, field_varint(1, 1) + field_varint(2, 1)))


def layer_metadata(cls, config, **more):
    return {"name": config["name"], "trainable": True, "dtype": "float32", "class_name": cls, "config": config, **more}


keras_metadata = b"".join([
    keras_node(0, "root", "_tf_keras_sequential",
               {"name": "sequential", "trainable": True, "expects_training_arg": True, "dtype": "float32",
                "batch_input_shape": None, "must_restore_from_config": False, "class_name": "Sequential", "config": sequential,
                "build_input_shape": {"class_name": "TensorShape", "items": [None, 15, 1]}, "is_graph_network": True,
                "keras_version": "2.5.0", "backend": "tensorflow",
                "training_config": {"loss": "categorical_crossentropy", "metrics": [[{"class_name": "MeanMetricWrapper",
                                    "config": {"name": "accuracy", "dtype": "float32", "fn": "categorical_accuracy"}}]],
                                    "optimizer_config": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.001,
                                                         "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}}}}),
    keras_node(ids[id(dense)], "root.layer_with_weights-0", "_tf_keras_layer", layer_metadata("Dense", dense_config)),
    keras_node(ids[id(lstm)], "root.layer_with_weights-1", "_tf_keras_rnn_layer", layer_metadata("LSTM", lstm_config)),
    keras_node(ids[id(output)], "root.layer_with_weights-2", "_tf_keras_layer", layer_metadata("Dense", output_config)),
    keras_node(ids[id(cell)], "root.layer_with_weights-1.cell", "_tf_keras_layer", layer_metadata("LSTMCell", cell_config)),
    keras_node(ids[id(metrics.children[0][1])], "root.keras_api.metrics.0", "_tf_keras_metric",
               {"class_name": "Mean", "name": "loss", "dtype": "float32", "config": {"name": "loss", "dtype": "float32"}}),
    keras_node(ids[id(metrics.children[1][1])], "root.keras_api.metrics.1", "_tf_keras_metric",
               {"class_name": "MeanMetricWrapper", "name": "accuracy", "dtype": "float32",
                "config": {"name": "accuracy", "dtype": "float32", "fn": "categorical_accuracy"}}),
])

meta_info = field_bytes(4, b"serve") + field_bytes(5, b"2.5.0") + field_bytes(6, b"v2.5.0-rc3-213-ga4dfb8d1a71") + field_varint(7, 1)
saved_model = field_varint(1, 1) + field_bytes(2, field_bytes(1, meta_info))


def write(path, content):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content)


def read_table(path):
    """The (key, value) entries of a variables.index, read back: for --check-index (blocks in order, no compression)."""
    with open(path, "rb") as f:
        file = f.read()

    def read_varint(b, i):
        v, shift = 0, 0
        while True:
            v |= (b[i] & 0x7F) << shift
            shift += 7
            i += 1
            if b[i - 1] < 0x80:
                return v, i

    def entries(offset, size):
        body = file[offset:offset + size]
        end = size - 4 - 4 * struct.unpack("<I", body[-4:])[0]
        out, k, i = [], b"", 0
        while i < end:
            shared, i = read_varint(body, i)
            own, i = read_varint(body, i)
            length, i = read_varint(body, i)
            k = k[:shared] + body[i:i + own]
            out.append((k, body[i + own:i + own + length]))
            i += own + length
        return out

    i = len(file) - 48
    for _ in range(2):  # the meta-index handle, unused
        _, i = read_varint(file, i)
    index_offset, i = read_varint(file, i)
    index_size, i = read_varint(file, i)
    result = []
    for _, handle in entries(index_offset, index_size):
        offset, j = read_varint(handle, 0)
        size, _ = read_varint(handle, j)
        result += entries(offset, size)
    return result


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check-index":
        # The table writer against a variables.index that TensorFlow wrote: the same entries must give the same bytes.
        with open(sys.argv[2], "rb") as f:
            same = table(read_table(sys.argv[2])) == f.read()
        print(f"{sys.argv[2]}: {'identical' if same else 'DIFFERENT'} when re-encoded")
        sys.exit(0 if same else 1)
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "tinyRNNnet")
    data, entries = bundle()
    write(os.path.join(out, "variables", "variables.data-00000-of-00001"), data)
    write(os.path.join(out, "variables", "variables.index"), table(entries))
    write(os.path.join(out, "keras_metadata.pb"), keras_metadata)
    write(os.path.join(out, "saved_model.pb"), saved_model)
    expected = {"input_shape": [15, 1],
                "layers": [{"class": "Dense", "units": DENSE, "activation": "linear"}, {"class": "LSTM", "units": LSTM},
                           {"class": "Dense", "units": CLASSES, "activation": "softmax"}],
                "weights": [{"layer": layer_index, "name": name, "key": key(w), "shape": list(w.shape), "values": w.data}
                            for layer_index, name, w in [(0, "kernel", dense_kernel), (0, "bias", dense_bias),
                                                         (1, "kernel", lstm_kernel), (1, "recurrent_kernel", lstm_recurrent),
                                                         (1, "bias", lstm_bias), (2, "kernel", out_kernel), (2, "bias", out_bias)]]}
    write(out.rstrip("/") + ".weights.json", (json.dumps(expected, indent=1) + "\n").encode())


if __name__ == "__main__":
    main()
