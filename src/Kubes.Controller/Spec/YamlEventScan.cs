using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kubes.Controller.Spec;

/// <summary>
/// A first pass over the YAML events, before the document is built: finds syntax errors, every
/// duplicate key (with its path), the number of documents and runaway nesting. YamlDotNet's document
/// model stops at the first duplicate key and recurses once per nesting level; this pass does neither.
/// It keeps the events without the second and later copies of a key, so the document can still be built
/// from them and checked field by field.
/// </summary>
internal static partial class YamlEventScan
{
    /// <summary>A cluster spec nests four levels deep; anything near this is not a spec.</summary>
    public const int MaxDepth = 32;

    /// <param name="Events">Every event but repeated keys and their values; null when the YAML cannot be read as a whole.</param>
    public sealed record Result(int Documents, Mark? SecondDocument, IReadOnlyList<SpecProblem> Problems,
        IReadOnlyList<ParsingEvent>? Events);

    public static Result Scan(string yaml)
    {
        var problems = new List<SpecProblem>();
        var stack = new Stack<Frame>();
        var documents = 0;
        Mark? secondDocument = null;
        var events = new List<ParsingEvent>();
        // While a repeated key's value is being left out: the depth of the mapping that repeats the key.
        int? skippingAt = null;
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                var duplicate = false;
                switch (current)
                {
                    case DocumentStart start:
                        documents++;
                        if (documents == 2) secondDocument = start.Start;
                        stack.Clear();
                        break;
                    case MappingStart or SequenceStart when stack.Count >= MaxDepth:
                        problems.Add(new SpecProblem("", (int)current.Start.Line, (int)current.Start.Column,
                            $"nests deeper than {MaxDepth} levels; a cluster spec is a few levels deep"));
                        return new Result(documents, secondDocument, problems, Events: null);
                    case MappingStart mapping:
                        stack.Push(new Frame(PathOfNext(stack, mapping, problems, out _), isMapping: true));
                        break;
                    case SequenceStart sequence:
                        stack.Push(new Frame(PathOfNext(stack, sequence, problems, out _), isMapping: false));
                        break;
                    case MappingEnd when stack.Peek() is { ExpectingKey: false } mapping:
                        // YamlDotNet's parser lets some malformed input through as a mapping that ends on a key (an odd
                        // number of nodes, e.g. "!!str :" after a key the reader lost the value of); no document can be
                        // built from that.
                        problems.Add(new SpecProblem(Join(mapping.Path, mapping.PendingKey), (int)mapping.PendingKeyStart.Line,
                            (int)mapping.PendingKeyStart.Column,
                            "is not valid YAML: this key has no value the YAML reader could read; write 'key: value', one per line"));
                        return new Result(documents, secondDocument, problems, Events: null);
                    case MappingEnd or SequenceEnd:
                        stack.Pop();
                        break;
                    case Scalar or AnchorAlias:
                        PathOfNext(stack, current, problems, out duplicate);
                        break;
                }

                if (skippingAt is { } depth)
                {
                    // The left-out value ends with a scalar, alias or closing event back at the mapping's depth.
                    if (stack.Count == depth && current is not (MappingStart or SequenceStart)) skippingAt = null;
                }
                else if (duplicate) skippingAt = stack.Count;
                else events.Add(current);
            }
        }
        catch (Exception e) when (IsReaderFailure(e))
        {
            problems.Add(ProblemOf(e, parser));
            return new Result(documents, secondDocument, problems, Events: null);
        }
        return new Result(documents, secondDocument, problems, events);
    }

    /// <summary>
    /// What YamlDotNet throws for input it cannot read: YamlException, and for some malformed input that slips
    /// past its checks an InvalidOperationException or ArgumentException from deeper inside.
    /// </summary>
    public static bool IsReaderFailure(Exception e) => e is YamlException or InvalidOperationException or ArgumentException;

    /// <summary>The failure as a problem of the whole file, at its position or else where the reader had got to.</summary>
    public static SpecProblem ProblemOf(Exception e, IParser parser)
    {
        if (e is YamlException yaml)
            return new SpecProblem("", (int)yaml.Start.Line, (int)yaml.Start.Column, $"is not valid YAML: {PositionPrefix().Replace(e.Message, "")}");
        var at = parser.Current?.Start ?? Mark.Empty;
        return new SpecProblem("", (int)at.Line, (int)at.Column, $"is not valid YAML from about here on (the YAML reader failed: {e.Message})");
    }

    /// <summary>Accounts for one node in its parent and returns its path; a mapping key is checked for duplicates.</summary>
    private static string PathOfNext(Stack<Frame> stack, ParsingEvent node, List<SpecProblem> problems, out bool duplicate)
    {
        duplicate = false;
        if (stack.Count == 0) return "";
        var parent = stack.Peek();
        if (!parent.IsMapping) return $"{parent.Path}[{parent.NextIndex++}]";
        if (!parent.ExpectingKey)
        {
            parent.ExpectingKey = true;
            return Join(parent.Path, parent.PendingKey);
        }
        parent.ExpectingKey = false;
        parent.PendingKey = node is Scalar { Value: var key } ? key : "?";
        parent.PendingKeyStart = node.Start;
        if (node is Scalar)
        {
            var path = Join(parent.Path, parent.PendingKey);
            if (parent.FirstSeen.TryGetValue(parent.PendingKey, out var first))
            {
                problems.Add(new SpecProblem(path, (int)node.Start.Line, (int)node.Start.Column,
                    $"is set twice (first at line {first.Line}, column {first.Column}); keep one (the first is used)"));
                duplicate = true;
            }
            else parent.FirstSeen[parent.PendingKey] = node.Start;
        }
        return Join(parent.Path, "?");
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private sealed class Frame(string path, bool isMapping)
    {
        public string Path { get; } = path;
        public bool IsMapping { get; } = isMapping;
        public bool ExpectingKey { get; set; } = true;
        public string PendingKey { get; set; } = "";
        public Mark PendingKeyStart { get; set; } = Mark.Empty;
        public int NextIndex { get; set; }
        public Dictionary<string, Mark> FirstSeen { get; } = new(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
