namespace Kubes.StandIns;

/// <summary>
/// Why a stand-in refuses to run: a flag the real component lacks, a file that does not hold what its flag needs. The
/// message names the flag and file and what to fix; the stand-in prints it and exits 1, as the real component would.
/// </summary>
public sealed class StandInException(string message) : Exception(message);
