using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on one version need (e.g. GLIBCXX_3.4.32) in the .gnu.version_r section of an ELF64
/// little-endian shared object. Idempotent; leaves files without that entry untouched.
/// </summary>
public class WeakenElfVersionNeed : Task
{
    [Required] public ITaskItem[] Files { get; set; }
    [Required] public string Version { get; set; }

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var result = Patch(path, Version);
                Log.LogMessage(MessageImportance.Low, "WeakenElfVersionNeed: {0}: {1}", path, result);
            }
            catch (Exception e)
            {
                Log.LogError("WeakenElfVersionNeed: {0}: {1}", path, e.Message);
                return false;
            }
        }
        return true;
    }

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    static string Patch(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            return "not ELF";
        if (bytes[4] != 2 || bytes[5] != 1) return "not ELF64 little-endian";
        long shoff = (long)BitConverter.ToUInt64(bytes, 0x28);
        int shentsize = BitConverter.ToUInt16(bytes, 0x3A);
        int shnum = BitConverter.ToUInt16(bytes, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            uint type = BitConverter.ToUInt32(bytes, (int)sh + 4);
            if (type != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(bytes, (int)sh + 0x18);
            uint link = BitConverter.ToUInt32(bytes, (int)sh + 0x28);
            long strSh = shoff + (long)link * shentsize;
            long strOff = (long)BitConverter.ToUInt64(bytes, (int)strSh + 0x18);
            long vn = offset;
            while (true)
            {
                int cnt = BitConverter.ToUInt16(bytes, (int)vn + 2);
                uint aux = BitConverter.ToUInt32(bytes, (int)vn + 8);
                uint next = BitConverter.ToUInt32(bytes, (int)vn + 12);
                long vna = vn + aux;
                for (int j = 0; j < cnt; j++)
                {
                    ushort flags = BitConverter.ToUInt16(bytes, (int)vna + 4);
                    uint name = BitConverter.ToUInt32(bytes, (int)vna + 8);
                    uint vnaNext = BitConverter.ToUInt32(bytes, (int)vna + 12);
                    if (ReadCString(bytes, strOff + name) == version)
                    {
                        if ((flags & VerFlgWeak) != 0) return "already weak";
                        var patched = (ushort)(flags | VerFlgWeak);
                        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write))
                        {
                            fs.Position = vna + 4;
                            fs.Write(BitConverter.GetBytes(patched), 0, 2);
                        }
                        return "patched";
                    }
                    if (vnaNext == 0) break;
                    vna += vnaNext;
                }
                if (next == 0) break;
                vn += next;
            }
            return "version not referenced";
        }
        return "no .gnu.version_r";
    }

    static string ReadCString(byte[] bytes, long at)
    {
        long end = at;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)at, (int)(end - at));
    }
}
