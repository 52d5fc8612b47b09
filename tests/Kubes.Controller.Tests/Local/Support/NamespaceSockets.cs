using System.ComponentModel;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Kubes.Controller.Tests.Local.Support;

/// <summary>
/// A socket that lives in a network namespace while the test holds it: made on a thread of its own that first joins the
/// namespace (setns), so no helper process in the namespace is needed to listen there. A socket keeps the namespace it
/// was made in; the thread ends right after.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class NamespaceSockets
{
    private const int CloneNewNet = 0x40000000;

    public static UdpClient BindUdp(string networkNamespace, IPEndPoint endpoint)
    {
        UdpClient? client = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{networkNamespace}");
                if (SetNs(handle.DangerousGetHandle().ToInt32(), CloneNewNet) != 0) throw new Win32Exception(Marshal.GetLastPInvokeError());
                client = new UdpClient(endpoint);
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return client ?? throw new InvalidOperationException($"no UDP socket at {endpoint} in {networkNamespace}", failure);
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nsType);
}
