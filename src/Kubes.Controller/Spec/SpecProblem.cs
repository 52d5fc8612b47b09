namespace Kubes.Controller.Spec;

/// <summary>
/// One thing wrong with a spec: the field path (<c>spec.etcd.count</c>, <c>spec.zones[1]</c>; empty for
/// problems of the whole file), where it is (1-based; 0 when it has no place in the file) and why.
/// </summary>
public sealed record SpecProblem(string Path, int Line, int Column, string Message)
{
    /// <summary><c>cluster.yaml:12:5: spec.etcd.count: must be ...</c>, the shape editors and compilers use.</summary>
    public string Format(string sourceName)
    {
        var where = Line > 0 ? $"{sourceName}:{Line}:{Column}" : sourceName;
        return Path.Length > 0 ? $"{where}: {Path}: {Message}" : $"{where}: {Message}";
    }
}
