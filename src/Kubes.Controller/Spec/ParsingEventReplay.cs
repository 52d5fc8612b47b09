using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kubes.Controller.Spec;

/// <summary>Plays back events read earlier, so a document can be built from a filtered event stream.</summary>
internal sealed class ParsingEventReplay(IReadOnlyList<ParsingEvent> events) : IParser
{
    private int next;

    public ParsingEvent? Current { get; private set; }

    public bool MoveNext()
    {
        if (next >= events.Count)
        {
            Current = null;
            return false;
        }
        Current = events[next++];
        return true;
    }
}
