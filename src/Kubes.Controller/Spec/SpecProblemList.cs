using Kubes.Controller.Networking;

namespace Kubes.Controller.Spec;

/// <summary>Collects the validator's problems, placing each at its field's line in the file.</summary>
internal sealed class SpecProblemList(SpecLocations locations)
{
    public List<SpecProblem> Items { get; } = [];

    /// <summary>Whether the file sets <paramref name="path"/> itself (false for defaults and specs built in code).</summary>
    public bool IsSetInFile(string path) => locations.Contains(path);

    public void Add(string path, string message)
    {
        var (line, column) = locations.Find(path);
        Items.Add(new SpecProblem(path, line, column, message));
    }

    /// <summary>The parsed block, or null after reporting why <paramref name="text"/> is not one.</summary>
    public Cidr? Cidr(string path, string text)
    {
        if (Networking.Cidr.TryParse(text, out var cidr, out var error)) return cidr;
        Add(path, error);
        return null;
    }
}
