using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kubes.Controller.Spec;

/// <summary>
/// A first pass over the YAML events, before the document is built: finds syntax errors, every
/// duplicate key (with its path), the number of documents and runaway nesting. YamlDotNet's document
/// model stops at the first duplicate key and recurses once per nesting level; this pass does neither.
/// </summary>
internal static partial class YamlEventScan
{
    /// <summary>A cluster spec nests four levels deep; anything near this is not a spec.</summary>
    public const int MaxDepth = 32;

    public sealed record Result(int Documents, Mark? SecondDocument, IReadOnlyList<SpecProblem> Problems);

    public static Result Scan(string yaml)
    {
        var problems = new List<SpecProblem>();
        var stack = new Stack<Frame>();
        var documents = 0;
        Mark? secondDocument = null;
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case DocumentStart start:
                        documents++;
                        if (documents == 2) secondDocument = start.Start;
                        stack.Clear();
                        break;
                    case MappingStart or SequenceStart when stack.Count >= MaxDepth:
                        problems.Add(new SpecProblem("", (int)parser.Current.Start.Line, (int)parser.Current.Start.Column,
                            $"nests deeper than {MaxDepth} levels; a cluster spec is a few levels deep"));
                        return new Result(documents, secondDocument, problems);
                    case MappingStart mapping:
                        stack.Push(new Frame(PathOfNext(stack, mapping, problems), isMapping: true));
                        break;
                    case SequenceStart sequence:
                        stack.Push(new Frame(PathOfNext(stack, sequence, problems), isMapping: false));
                        break;
                    case MappingEnd or SequenceEnd:
                        stack.Pop();
                        break;
                    case Scalar or AnchorAlias:
                        PathOfNext(stack, parser.Current, problems);
                        break;
                }
            }
        }
        catch (Exception e) when (IsReaderFailure(e))
        {
            problems.Add(ProblemOf(e, parser));
        }
        return new Result(documents, secondDocument, problems);
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
    private static string PathOfNext(Stack<Frame> stack, ParsingEvent node, List<SpecProblem> problems)
    {
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
        if (node is Scalar)
        {
            var path = Join(parent.Path, parent.PendingKey);
            if (parent.FirstSeen.TryGetValue(parent.PendingKey, out var first))
            {
                problems.Add(new SpecProblem(path, (int)node.Start.Line, (int)node.Start.Column,
                    $"is set twice (first at line {first.Line}, column {first.Column}); keep one"));
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
        public int NextIndex { get; set; }
        public Dictionary<string, Mark> FirstSeen { get; } = new(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
