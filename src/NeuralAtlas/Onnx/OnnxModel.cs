using Google.Protobuf;
using NeuralAtlas.IO;
using NeuralAtlas.Onnx.Proto;

namespace NeuralAtlas.Onnx;

/// <summary>
/// An ONNX model as read from a file: opsets, graph inputs and outputs (initializers excluded), nodes in
/// topological order with decoded attributes, and every initializer decoded to an <see cref="NdArray"/> (raw_data,
/// typed fields or external data). Reading validates the protobuf (a truncated or corrupt file names the byte
/// offset where parsing stopped), that a graph is present, that every node input is produced by something, and
/// that initializers decode to their declared shapes.
/// </summary>
public sealed class OnnxModel
{
    public string File { get; }
    public long IrVersion { get; }
    public string ProducerName { get; }
    public string ProducerVersion { get; }
    public string GraphName { get; }
    public IReadOnlyList<(string Domain, long Version)> Opsets { get; }
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }
    public IReadOnlyList<OnnxNode> Nodes { get; }
    public OrderedDictionary<string, NdArray> Initializers { get; }

    internal ModelProto Proto { get; }

    private OnnxModel(string file, ModelProto m, OrderedDictionary<string, NdArray> inits, List<OnnxNode> nodes)
    {
        File = file;
        Proto = m;
        IrVersion = m.IrVersion;
        ProducerName = m.ProducerName;
        ProducerVersion = m.ProducerVersion;
        GraphName = m.Graph.Name;
        Opsets = m.OpsetImport.Select(o => (o.Domain, o.Version)).ToList();
        Initializers = inits;
        Nodes = nodes;
        Inputs = m.Graph.Input.Where(v => !inits.ContainsKey(v.Name)).Select(ValueInfo).ToList();
        Outputs = m.Graph.Output.Select(ValueInfo).ToList();
    }

    public static OnnxModel Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: no such file", path);
        if (info.Length > Array.MaxLength) throw new AtlasFormatException(path, 0, "an ONNX file under 2 GB (store larger weights as external data)");
        return Parse(System.IO.File.ReadAllBytes(path), path);
    }

    /// <param name="file">The model's path: errors name it, and external data files are looked up beside it.</param>
    public static OnnxModel Parse(byte[] bytes, string file)
    {
        var m = new ModelProto();
        var input = new CodedInputStream(bytes);
        try
        {
            m.MergeFrom(input);
        }
        catch (InvalidProtocolBufferException e)
        {
            if (ProtoWire.FindProblem(bytes) is var (offset, problem))
                throw new AtlasFormatException(file, offset, $"a valid ONNX protobuf: {problem}");
            throw new AtlasFormatException(file, input.Position, $"a valid ONNX protobuf (ModelProto): {e.Message.TrimEnd('.')}");
        }
        if (m.Graph is null)
            throw new AtlasFormatException(file, bytes.Length, "an ONNX ModelProto with a graph (field 7); this file has none — is it an ONNX model?");
        if (m.IrVersion <= 0) throw new AtlasFormatException(file, 0, $"a positive ir_version (field 1), got {m.IrVersion}");
        if (m.OpsetImport.Count == 0) throw new AtlasFormatException(file, 0, "at least one opset_import (field 8)");

        var inits = new OrderedDictionary<string, NdArray>(StringComparer.Ordinal);
        foreach (var t in m.Graph.Initializer)
        {
            if (string.IsNullOrEmpty(t.Name)) throw new AtlasFormatException(file, inits.Count, "a name for every initializer", "initializer");
            if (!inits.TryAdd(t.Name, OnnxTensors.Decode(t, file, $"initializer '{t.Name}'")))
                throw new AtlasFormatException(file, inits.Count, $"each initializer name once ('{t.Name}' repeats)", "initializer");
        }

        var known = new HashSet<string>(inits.Keys, StringComparer.Ordinal);
        foreach (var v in m.Graph.Input) known.Add(v.Name);
        var nodes = new List<OnnxNode>(m.Graph.Node.Count);
        for (int i = 0; i < m.Graph.Node.Count; i++)
        {
            var n = m.Graph.Node[i];
            string name = string.IsNullOrEmpty(n.Name) ? $"{n.OpType}_{i}" : n.Name;
            foreach (string inp in n.Input)
                if (inp.Length > 0 && !known.Contains(inp))
                    throw new AtlasFormatException(file, i, $"node '{name}' ({n.OpType}) input '{inp}' to be a graph input, an initializer or an earlier node's output (nodes must be in topological order)", "node");
            foreach (string o in n.Output)
                if (o.Length > 0) known.Add(o);
            var attrs = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
            foreach (var a in n.Attribute)
                if (!attrs.TryAdd(a.Name, Attribute(a, file, name)))
                    throw new AtlasFormatException(file, i, $"each attribute once on node '{name}' ('{a.Name}' repeats)", "node");
            nodes.Add(new OnnxNode(i, name, n.OpType, n.Domain, n.Input.ToList(), n.Output.ToList(), attrs));
        }
        foreach (var o in m.Graph.Output)
            if (!known.Contains(o.Name))
                throw new AtlasFormatException(file, 0, $"graph output '{o.Name}' to be produced by a node, an input or an initializer", "output");
        return new OnnxModel(file, m, inits, nodes);
    }

    private static OnnxAttribute Attribute(AttributeProto a, string file, string node)
    {
        // Old exporters leave 'type' unset; infer it from which field is filled.
        var type = a.Type;
        if (type == AttributeProto.Types.AttributeType.Undefined)
        {
            if (a.HasF) type = AttributeProto.Types.AttributeType.Float;
            else if (a.HasI) type = AttributeProto.Types.AttributeType.Int;
            else if (a.HasS) type = AttributeProto.Types.AttributeType.String;
            else if (a.T is not null) type = AttributeProto.Types.AttributeType.Tensor;
            else if (a.G is not null) type = AttributeProto.Types.AttributeType.Graph;
            else if (a.Floats.Count > 0) type = AttributeProto.Types.AttributeType.Floats;
            else if (a.Ints.Count > 0) type = AttributeProto.Types.AttributeType.Ints;
            else if (a.Strings.Count > 0) type = AttributeProto.Types.AttributeType.Strings;
        }
        return type switch
        {
            AttributeProto.Types.AttributeType.Float => new OnnxAttribute(a.Name, "float", Float: a.F),
            AttributeProto.Types.AttributeType.Int => new OnnxAttribute(a.Name, "int", Int: a.I),
            AttributeProto.Types.AttributeType.String => new OnnxAttribute(a.Name, "string", String: a.S.ToStringUtf8()),
            AttributeProto.Types.AttributeType.Tensor => new OnnxAttribute(a.Name, "tensor", Tensor: OnnxTensors.Decode(
                a.T ?? throw new AtlasFormatException(file, 0, $"a tensor value for attribute '{a.Name}' of node '{node}'", "tensor"), file, $"attribute '{a.Name}' of node '{node}'")),
            AttributeProto.Types.AttributeType.Floats => new OnnxAttribute(a.Name, "floats", Floats: a.Floats.ToList()),
            AttributeProto.Types.AttributeType.Ints => new OnnxAttribute(a.Name, "ints", Ints: a.Ints.ToList()),
            AttributeProto.Types.AttributeType.Strings => new OnnxAttribute(a.Name, "strings", Strings: a.Strings.Select(s => s.ToStringUtf8()).ToList()),
            _ => new OnnxAttribute(a.Name, type.ToString().ToLowerInvariant()),
        };
    }

    private static OnnxValueInfo ValueInfo(ValueInfoProto v)
    {
        var tt = v.Type?.TensorType;
        if (tt is null) return new OnnxValueInfo(v.Name, v.Type is null ? "unknown" : v.Type.ValueCase.ToString(), Array.Empty<string>());
        var dims = tt.Shape?.Dim.Select(d => d.ValueCase switch
        {
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => d.DimParam,
            _ => "?",
        }).ToList() ?? new List<string>();
        return new OnnxValueInfo(v.Name, OnnxTensors.ElementTypeName(tt.ElemType), dims);
    }

    /// <summary>Total number of values in the floating-point initializers (the model's parameters and buffers).</summary>
    public long ParameterCount => Initializers.Values.Where(a => a.DType.IsFloat()).Sum(a => a.Count);

    /// <summary>
    /// Writes the model back with every initializer stored inline as raw_data (external data is folded in), so
    /// the result is one self-contained file.
    /// </summary>
    public void Save(string path)
    {
        var copy = Proto.Clone();
        copy.Graph.Initializer.Clear();
        foreach (var (name, a) in Initializers) copy.Graph.Initializer.Add(OnnxTensors.Encode(name, a));
        AtomicFile.Write(path, s => copy.WriteTo(s));
    }
}
