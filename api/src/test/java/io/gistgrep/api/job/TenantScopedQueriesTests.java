package io.gistgrep.api.job;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.gistgrep.db.gist.GistRepository;
import io.gistgrep.db.job.JobKey;
import io.gistgrep.db.job.JobRepository;
import io.gistgrep.db.job.WorkerOnly;
import io.gistgrep.db.webhook.WebhookRepository;
import io.gistgrep.messaging.JobTransitions;
import org.junit.jupiter.api.Test;

import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.Handle;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.SpringAsmInfo;
import org.springframework.asm.Type;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No class of the api calls a repository method that acts on a job by its id alone
 * ({@link WorkerOnly}): read from the compiled classes, so a new endpoint that forgets
 * the tenant fails here, whether it calls the method or passes it as a method reference.
 */
class TenantScopedQueriesTests {

	private static final List<Class<?>> REPOSITORIES = List.of(JobRepository.class, GistRepository.class,
			WebhookRepository.class);

	@Test
	void theWorkerOnlyMethodsAreTheOnesThatTakeNoTenant() {
		assertThat(workerOnly()).contains(call(JobRepository.class, "find(Ljava/util/UUID;)Ljava/util/Optional;"),
				call(GistRepository.class, "find(Ljava/util/UUID;Ljava/lang/String;)Ljava/util/Optional;"),
				call(WebhookRepository.class, "find(Ljava/util/UUID;)Ljava/util/Optional;"));
		for (Class<?> repository : REPOSITORIES) {
			Arrays.stream(repository.getDeclaredMethods())
				.filter((m) -> m.isAnnotationPresent(WorkerOnly.class))
				.forEach((m) -> assertThat(m.getParameterTypes()).as(m.toString()).doesNotContain(JobKey.class));
		}
	}

	@Test
	void noApiClassCallsAWorkerOnlyQuery() throws IOException, URISyntaxException {
		Set<String> forbidden = workerOnly();
		Path classes = Path.of(JobController.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		List<String> calls = new ArrayList<>();
		try (Stream<Path> files = Files.walk(classes.resolve("io/gistgrep/api"))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".class")).toList()) {
				calls.addAll(callsIn(file, forbidden));
			}
		}
		assertThat(calls).isEmpty();
	}

	@Test
	void theApiCancelsThroughTheTenantScopedTransition() throws NoSuchMethodException {
		assertThat(JobTransitions.class.getMethod("cancel", JobKey.class)).isNotNull();
		assertThat(Arrays.stream(JobTransitions.class.getMethods()).filter((m) -> m.getName().equals("cancel")))
			.singleElement()
			.satisfies((m) -> assertThat(m.getParameterTypes()).containsExactly(JobKey.class));
	}

	/** Each {@link WorkerOnly} method as {@code owner.name(descriptor)}. */
	private static Set<String> workerOnly() {
		return REPOSITORIES.stream()
			.flatMap((repository) -> Arrays.stream(repository.getDeclaredMethods()))
			.filter((m) -> m.isAnnotationPresent(WorkerOnly.class))
			.map(TenantScopedQueriesTests::call)
			.collect(Collectors.toSet());
	}

	private static String call(Method method) {
		return call(method.getDeclaringClass(), method.getName() + Type.getMethodDescriptor(method));
	}

	private static String call(Class<?> owner, String nameAndDescriptor) {
		return Type.getInternalName(owner) + "." + nameAndDescriptor;
	}

	/** The calls of (and references to) the forbidden methods in one class file. */
	private static List<String> callsIn(Path file, Set<String> forbidden) throws IOException {
		List<String> found = new ArrayList<>();
		try (InputStream in = Files.newInputStream(file)) {
			new ClassReader(in).accept(new ClassVisitor(SpringAsmInfo.ASM_VERSION) {

				@Override
				public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
						String[] exceptions) {
					String where = file.getFileName() + " " + name;
					return new MethodVisitor(SpringAsmInfo.ASM_VERSION) {

						@Override
						public void visitMethodInsn(int opcode, String owner, String method, String desc,
								boolean isInterface) {
							check(owner + "." + method + desc);
						}

						@Override
						public void visitInvokeDynamicInsn(String method, String desc, Handle bootstrap,
								Object... arguments) {
							for (Object argument : arguments) {
								if (argument instanceof Handle handle) {
									check(handle.getOwner() + "." + handle.getName() + handle.getDesc());
								}
							}
						}

						private void check(String call) {
							if (forbidden.contains(call)) {
								found.add(where + " calls " + call);
							}
						}

					};
				}

			}, ClassReader.SKIP_DEBUG);
		}
		return found;
	}

}
