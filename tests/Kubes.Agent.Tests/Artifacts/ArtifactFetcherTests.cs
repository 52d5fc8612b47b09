using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Kubes.Agent.Artifacts;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Artifacts;

public sealed class ArtifactFetcherTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly byte[] _content = Encoding.UTF8.GetBytes("#!/bin/sh\necho etcd\n");

    public void Dispose() => _root.Dispose();

    private static ArtifactFetcher Fetcher() => new(new HttpClient(), NullLogger<ArtifactFetcher>.Instance);

    private string Sha256 => Convert.ToHexStringLower(SHA256.HashData(_content));

    private string Source()
    {
        var path = _root.Join("source.bin");
        File.WriteAllBytes(path, _content);
        return path;
    }

    [Fact]
    public async Task Fetches_a_file_url_with_the_right_hash()
    {
        var destination = _root.Join("cache", "etcd.bin");

        await Fetcher().FetchAsync(new Artifact { Name = "etcd", Urls = { new Uri(Source()).AbsoluteUri }, Sha256 = Sha256 },
            destination, CancellationToken.None);

        Assert.Equal(_content, File.ReadAllBytes(destination));
    }

    [Fact]
    public async Task Refuses_and_deletes_a_download_whose_hash_does_not_match()
    {
        var destination = _root.Join("cache", "etcd.bin");
        var wrong = new string('0', 64);

        var error = await Assert.ThrowsAsync<ArtifactUnavailableException>(() => Fetcher().FetchAsync(
            new Artifact { Name = "etcd", Urls = { new Uri(Source()).AbsoluteUri }, Sha256 = wrong }, destination, CancellationToken.None));

        Assert.Contains($"SHA-256 is {Sha256}, expected {wrong}", error.Message);
        Assert.Empty(Directory.GetFiles(_root.Join("cache")));
    }

    [Fact]
    public async Task Tries_the_urls_in_order_until_one_serves_the_right_bytes()
    {
        await using var corrupt = new LoopbackHttpServer(_ => Task.FromResult((200, Encoding.UTF8.GetBytes("tampered"))));
        await using var mirror = new LoopbackHttpServer(_ => Task.FromResult((200, _content)));
        var dead = $"http://127.0.0.1:{FreePort.OnLoopback()}/etcd.bin";
        var destination = _root.Join("cache", "etcd.bin");

        await Fetcher().FetchAsync(new Artifact
        {
            Name = "etcd",
            Urls = { dead, new Uri(corrupt.BaseAddress, "etcd.bin").AbsoluteUri, new Uri(mirror.BaseAddress, "etcd.bin").AbsoluteUri },
            Sha256 = Sha256,
        }, destination, CancellationToken.None);

        Assert.Equal(_content, File.ReadAllBytes(destination));
        Assert.Single(corrupt.Requests);
        Assert.Single(mirror.Requests);
    }

    [Fact]
    public async Task An_artifact_without_a_valid_hash_is_never_fetched() =>
        Assert.Contains("no valid SHA-256", (await Assert.ThrowsAsync<ArtifactUnavailableException>(() => Fetcher().FetchAsync(
            new Artifact { Name = "etcd", Urls = { new Uri(Source()).AbsoluteUri }, Sha256 = "" },
            _root.Join("x"), CancellationToken.None))).Message);

    [Fact]
    public async Task Unpacks_a_tar_gz()
    {
        var archive = _root.Join("etcd.tar.gz");
        await using (var file = File.Create(archive))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "etcd-v3.4.23-linux-amd64/etcd")
            {
                DataStream = new MemoryStream(_content),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            };
            await tar.WriteEntryAsync(entry);
        }

        await TarGzExtractor.ExtractAsync(archive, _root.Join("unpacked"), CancellationToken.None);

        Assert.Equal(_content, File.ReadAllBytes(_root.Join("unpacked", "etcd-v3.4.23-linux-amd64", "etcd")));
        Assert.False(Directory.Exists(_root.Join("unpacked.unpacking")));
    }
}
