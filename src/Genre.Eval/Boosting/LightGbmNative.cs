using System.Runtime.InteropServices;

namespace Genre.Eval.Boosting;

/// <summary>
/// LightGBM's C API (<c>c_api.h</c> of LightGBM 4.x, the <c>lib_lightgbm</c> that the LightGBM NuGet package ships and ML.NET's
/// trainer loads): only the calls <see cref="Booster"/> makes. Every call returns 0 or −1; on −1 the reason is
/// <see cref="LGBM_GetLastError"/>'s text. This is the native edge: nothing outside <see cref="Booster"/> calls it.
/// </summary>
static class LightGbmNative
{
    const string Library = "lib_lightgbm";
    /// <summary><c>C_API_DTYPE_FLOAT32</c>, <c>C_API_DTYPE_FLOAT64</c>.</summary>
    public const int Float32 = 0, Float64 = 1;
    /// <summary><c>C_API_PREDICT_NORMAL</c>: probabilities for a multiclass booster.</summary>
    public const int PredictNormal = 0;

    [DllImport(Library)]
    public static extern IntPtr LGBM_GetLastError();

    [DllImport(Library)]
    public static extern int LGBM_DatasetCreateFromMat(float[] data, int dataType, int rows, int cols, int rowMajor,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string parameters,
                                                        IntPtr reference, out IntPtr dataset);

    [DllImport(Library)]
    public static extern int LGBM_DatasetSetField(IntPtr dataset,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string field, float[] data, int count,
                                                  int type);

    [DllImport(Library)]
    public static extern int LGBM_DatasetFree(IntPtr dataset);

    [DllImport(Library)]
    public static extern int LGBM_BoosterCreate(IntPtr train, [MarshalAs(UnmanagedType.LPUTF8Str)] string parameters, out IntPtr booster);

    [DllImport(Library)]
    public static extern int LGBM_BoosterAddValidData(IntPtr booster, IntPtr valid);

    [DllImport(Library)]
    public static extern int LGBM_BoosterUpdateOneIter(IntPtr booster, out int finished);

    [DllImport(Library)]
    public static extern int LGBM_BoosterGetCurrentIteration(IntPtr booster, out int iteration);

    [DllImport(Library)]
    public static extern int LGBM_BoosterPredictForMat(IntPtr booster, float[] data, int dataType, int rows, int cols, int rowMajor,
                                                        int predictType, int startIteration, int iterations,
                                                        [MarshalAs(UnmanagedType.LPUTF8Str)] string parameters,
                                                        out long length, double[] result);

    [DllImport(Library)]
    public static extern int LGBM_BoosterSaveModelToString(IntPtr booster, int startIteration, int iterations, int importanceType,
                                                            long bufferLength, out long length, byte[] buffer);

    [DllImport(Library)]
    public static extern int LGBM_BoosterLoadModelFromString(byte[] model, out int iterations, out IntPtr booster);

    [DllImport(Library)]
    public static extern int LGBM_BoosterGetNumClasses(IntPtr booster, out int classes);

    [DllImport(Library)]
    public static extern int LGBM_BoosterGetNumFeature(IntPtr booster, out int features);

    [DllImport(Library)]
    public static extern int LGBM_BoosterGetEvalCounts(IntPtr booster, out int count);

    [DllImport(Library)]
    public static extern int LGBM_BoosterGetEval(IntPtr booster, int dataIndex, out int count, double[] results);

    [DllImport(Library)]
    public static extern int LGBM_BoosterFree(IntPtr booster);

    /// <summary>The reason LightGBM gave for its last failed call.</summary>
    public static string LastError() => Marshal.PtrToStringUTF8(LGBM_GetLastError()) ?? "no reason given";
}
