#pragma once
// Clang's thread-safety analysis: which lock guards which member and which functions need a
// lock held, checked at compile time (`-Wthread-safety`, run by the test suite's
// thread-safety check). Under other compilers the annotations compile to nothing.
// std::mutex and std::shared_mutex carry no annotations in libstdc++, so annotated code
// locks the wrappers of mutex.hpp.
#if defined(__clang__)
#define VA_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define VA_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) VA_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY VA_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) VA_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) VA_THREAD_ANNOTATION(pt_guarded_by(x))
#define ACQUIRED_AFTER(...) VA_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define REQUIRES(...) VA_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) VA_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
#define ACQUIRE(...) VA_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) VA_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) VA_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) VA_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) VA_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define TRY_ACQUIRE_SHARED(...) VA_THREAD_ANNOTATION(try_acquire_shared_capability(__VA_ARGS__))
#define EXCLUDES(...) VA_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// For the few functions whose locking the analysis cannot follow; each use says why.
#define NO_THREAD_SAFETY_ANALYSIS VA_THREAD_ANNOTATION(no_thread_safety_analysis)
