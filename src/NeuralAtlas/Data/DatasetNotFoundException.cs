namespace NeuralAtlas.Data;

/// <summary>A data set's files are not where we looked: says where, and how to get them.</summary>
public sealed class DatasetNotFoundException : AtlasException
{
    public string Looked { get; }

    public DatasetNotFoundException(string dataset, string looked, string howToGet)
        : base($"{dataset} not found: looked in {looked}. {howToGet}")
    {
        Looked = looked;
    }
}
