using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Inference.Tests;

/// <summary>A new folder holding a copy of files of the bundled test model (paged layout), deleted on dispose.</summary>
internal sealed class TestModelCopy : IDisposable
{
    private readonly DirectoryInfo _folder;

    /// <summary>Copies <paramref name="files"/>, or every file of the test model when none are named.</summary>
    public TestModelCopy(string prefix, params string[] files)
    {
        _folder = Directory.CreateTempSubdirectory(prefix);
        var names = files.Length > 0 ? files : Directory.GetFiles(TestModel.PagedPath).Select(System.IO.Path.GetFileName).ToArray();
        foreach (var file in names)
        {
            File.Copy(System.IO.Path.Combine(TestModel.PagedPath, file!), System.IO.Path.Combine(_folder.FullName, file!));
        }
    }

    public string Path => _folder.FullName;

    /// <summary>Writes <paramref name="content"/> into <paramref name="file"/>; null deletes it.</summary>
    public void Write(string file, string? content)
    {
        var path = System.IO.Path.Combine(Path, file);
        if (content is null)
        {
            File.Delete(path);
        }
        else
        {
            File.WriteAllText(path, content);
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
