/*  gw_i18n — the web pages' words in six languages (see gw_i18n.h).

    The tables are the file: s_texts, one row per gw_text_id_t, and
    s_enums, one row per enumeration value.  Columns in the UN's order:
    Arabic, Chinese, English, French, Russian, Spanish.  To add a string,
    add its id to gw_i18n.h and its row here at the same place; the
    self-test fails on a row without English. */
#include "gw_i18n.h"
#include "pl_schema.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *code;
    const char *name;           //  in itself
    int rtl;
} s_langs [GW_LANGS] = {
    [GW_LANG_AR] = { "ar", "العربية", 1 },
    [GW_LANG_ZH] = { "zh", "中文", 0 },
    [GW_LANG_EN] = { "en", "English", 0 },
    [GW_LANG_FR] = { "fr", "Français", 0 },
    [GW_LANG_RU] = { "ru", "Русский", 0 },
    [GW_LANG_ES] = { "es", "Español", 0 },
};

//  Row ID's words: ar, zh, en, fr, ru, es.
#define S_ROW(id, ar, zh, en, fr, ru, es) [id] = { ar, zh, en, fr, ru, es }

static const char *s_texts [GW_T_COUNT][GW_LANGS] = {
    S_ROW (GW_T_SITE, "الاجتماعات والوثائق", "会议和文件", "Meetings and documents",
           "Réunions et documents", "Совещания и документы", "Reuniones y documentos"),
    S_ROW (GW_T_SKIP, "انتقل إلى المحتوى", "跳到正文", "Skip to content",
           "Aller au contenu", "Перейти к содержанию", "Ir al contenido"),
    S_ROW (GW_T_NAV_MEETINGS, "الاجتماعات", "会议", "Meetings", "Réunions", "Совещания",
           "Reuniones"),
    S_ROW (GW_T_NAV_SEARCH, "البحث في الأرشيف", "检索档案", "Search the archive",
           "Rechercher dans les archives", "Поиск в архиве", "Buscar en el archivo"),
    S_ROW (GW_T_LANGUAGE, "اللغة", "语言", "Language", "Langue", "Язык", "Idioma"),
    S_ROW (GW_T_JSON, "البيانات نفسها بصيغة JSON", "相同数据（JSON）", "The same data as JSON",
           "Les mêmes données en JSON", "Те же данные в формате JSON",
           "Los mismos datos en JSON"),
    S_ROW (GW_T_HOME_TITLE, "الاجتماعات حسب الاتفاقية", "按公约分列的会议",
           "Meetings by convention", "Réunions par convention", "Совещания по конвенциям",
           "Reuniones por convención"),
    S_ROW (GW_T_NO_MEETINGS, "لا توجد اجتماعات بعد.", "尚无会议。", "No meetings yet.",
           "Aucune réunion pour l'instant.", "Совещаний пока нет.",
           "Todavía no hay reuniones."),
    S_ROW (GW_T_UPCOMING, "القادمة والجارية", "即将举行和正在举行", "Upcoming and current",
           "À venir et en cours", "Предстоящие и текущие", "Próximas y en curso"),
    S_ROW (GW_T_PAST, "السابقة", "以往", "Past", "Passées", "Прошедшие", "Anteriores"),
    S_ROW (GW_T_SUBSCRIBE_CONVENTION, "الاشتراك في جدول جميع اجتماعاتها",
           "订阅全部会议日程", "Subscribe to the schedule of all its meetings",
           "S'abonner au calendrier de toutes ses réunions",
           "Подписаться на расписание всех совещаний",
           "Suscribirse al calendario de todas sus reuniones"),
    S_ROW (GW_T_DATES, "التواريخ", "日期", "Dates", "Dates", "Даты", "Fechas"),
    S_ROW (GW_T_VENUE, "المكان", "地点", "Venue", "Lieu", "Место проведения", "Lugar"),
    S_ROW (GW_T_TIME_ZONE, "المنطقة الزمنية", "时区", "Time zone", "Fuseau horaire",
           "Часовой пояс", "Zona horaria"),
    S_ROW (GW_T_STATUS, "الحالة", "状态", "Status", "Statut", "Статус", "Estado"),
    S_ROW (GW_T_KIND, "النوع", "类别", "Kind", "Type", "Вид", "Tipo"),
    S_ROW (GW_T_CONVENTION, "الاتفاقية", "公约", "Convention", "Convention", "Конвенция",
           "Convención"),
    S_ROW (GW_T_MEETING, "الاجتماع", "会议", "Meeting", "Réunion", "Совещание", "Reunión"),
    S_ROW (GW_T_PROGRAMME, "برنامج العمل", "工作方案", "Programme of work",
           "Programme de travail", "Программа работы", "Programa de trabajo"),
    S_ROW (GW_T_NO_SESSIONS, "لم تُحدد أي جلسات بعد.", "尚未安排任何场次。",
           "No sessions scheduled yet.", "Aucune séance prévue pour l'instant.",
           "Заседания пока не запланированы.", "Todavía no hay sesiones programadas."),
    S_ROW (GW_T_TIME, "الوقت", "时间", "Time", "Heure", "Время", "Hora"),
    S_ROW (GW_T_SESSION, "الجلسة", "场次", "Session", "Séance", "Заседание", "Sesión"),
    S_ROW (GW_T_ROOM, "القاعة", "会议室", "Room", "Salle", "Зал", "Sala"),
    S_ROW (GW_T_AGENDA_ITEMS, "بنود جدول الأعمال", "议程项目", "Agenda items",
           "Points de l'ordre du jour", "Пункты повестки дня", "Temas del programa"),
    S_ROW (GW_T_YOUR_TIME, "توقيتك", "您的时间", "Your time", "Votre heure", "Ваше время",
           "Su hora"),
    S_ROW (GW_T_LOCAL_TIME, "التوقيت المحلي", "当地时间", "Local time", "Heure locale",
           "Местное время", "Hora local"),
    S_ROW (GW_T_CANCELLED, "أُلغيت", "已取消", "Cancelled", "Annulée", "Отменено",
           "Cancelada"),
    S_ROW (GW_T_MOVED, "نُقلت", "已改期", "Moved", "Déplacée", "Перенесено", "Trasladada"),
    S_ROW (GW_T_SUBSCRIBE, "الاشتراك في الجدول الزمني", "订阅日程", "Subscribe to the schedule",
           "S'abonner au calendrier", "Подписаться на расписание",
           "Suscribirse al calendario"),
    S_ROW (GW_T_WEBCAL, "فتح في تطبيق التقويم", "在日历应用中打开",
           "Open in your calendar app", "Ouvrir dans votre agenda",
           "Открыть в приложении календаря", "Abrir en su aplicación de calendario"),
    S_ROW (GW_T_FEED_ADDRESS, "عنوان التقويم للنسخ", "要复制的日历地址",
           "Calendar address to copy", "Adresse du calendrier à copier",
           "Адрес календаря для копирования", "Dirección del calendario para copiar"),
    S_ROW (GW_T_COPY, "نسخ", "复制", "Copy", "Copier", "Копировать", "Copiar"),
    S_ROW (GW_T_COPIED, "تم النسخ", "已复制", "Copied", "Copié", "Скопировано", "Copiado"),
    S_ROW (GW_T_ADD_GOOGLE, "إضافة إلى تقويم Google", "添加到 Google 日历",
           "Add to Google Calendar", "Ajouter à Google Agenda", "Добавить в Google Календарь",
           "Añadir a Google Calendar"),
    S_ROW (GW_T_ADD_OUTLOOK, "إضافة إلى Outlook.com", "添加到 Outlook.com",
           "Add to Outlook.com", "Ajouter à Outlook.com", "Добавить в Outlook.com",
           "Añadir a Outlook.com"),
    S_ROW (GW_T_ADD_OFFICE, "إضافة إلى Outlook (Microsoft 365)",
           "添加到 Outlook（Microsoft 365）", "Add to Outlook (Microsoft 365)",
           "Ajouter à Outlook (Microsoft 365)", "Добавить в Outlook (Microsoft 365)",
           "Añadir a Outlook (Microsoft 365)"),
    S_ROW (GW_T_DOCUMENTS, "الوثائق", "文件", "Documents", "Documents", "Документы",
           "Documentos"),
    S_ROW (GW_T_NO_DOCUMENTS, "لم تصدر أي وثائق بعد.", "尚未发布文件。",
           "No documents released yet.", "Aucun document publié pour l'instant.",
           "Документы пока не выпущены.", "Todavía no se ha publicado ningún documento."),
    S_ROW (GW_T_SYMBOL, "الرمز", "文号", "Symbol", "Cote", "Условное обозначение",
           "Signatura"),
    S_ROW (GW_T_TITLE, "العنوان", "标题", "Title", "Titre", "Название", "Título"),
    S_ROW (GW_T_LANGUAGES, "اللغات", "语文", "Languages", "Langues", "Языки", "Idiomas"),
    S_ROW (GW_T_MEETING_DOCUMENTS, "جميع وثائق هذا الاجتماع", "本次会议的全部文件",
           "All documents of this meeting", "Tous les documents de cette réunion",
           "Все документы этого совещания", "Todos los documentos de esta reunión"),
    S_ROW (GW_T_WORDS, "الكلمات", "检索词", "Words", "Mots", "Слова", "Palabras"),
    S_ROW (GW_T_SEARCH_HELP,
           "\"عبارة مطابقة\"، كلمة* للبادئة، -كلمة للاستبعاد، OR بين البدائل",
           "\"精确短语\"，词* 表示前缀，-词 表示排除，OR 表示任选其一",
           "\"exact phrase\", word* for a prefix, -word to leave out, OR between alternatives",
           "\"expression exacte\", mot* pour un préfixe, -mot pour exclure, OR entre deux "
           "possibilités",
           "\"точная фраза\", слово* для префикса, -слово для исключения, OR между вариантами",
           "\"frase exacta\", palabra* para un prefijo, -palabra para excluir, OR entre "
           "alternativas"),
    S_ROW (GW_T_FILTERS, "عوامل التصفية", "筛选条件", "Filters", "Filtres", "Фильтры",
           "Filtros"),
    S_ROW (GW_T_ANY, "الكل", "全部", "Any", "Tous", "Все", "Todos"),
    S_ROW (GW_T_TEXT_LANGUAGE, "لغة النص", "文本语文", "Language of the text",
           "Langue du texte", "Язык текста", "Idioma del texto"),
    S_ROW (GW_T_FROM, "من تاريخ", "起始日期", "From", "Du", "С", "Desde"),
    S_ROW (GW_T_TO, "إلى تاريخ", "截止日期", "To", "Au", "По", "Hasta"),
    S_ROW (GW_T_SEARCH, "بحث", "检索", "Search", "Rechercher", "Найти", "Buscar"),
    S_ROW (GW_T_FOUND, "عدد النتائج", "结果数", "Items found", "Éléments trouvés",
           "Найдено", "Elementos encontrados"),
    S_ROW (GW_T_NO_RESULTS, "لم يُعثر على أي نتيجة.", "未找到任何结果。", "Nothing found.",
           "Aucun résultat.", "Ничего не найдено.", "No se encontró nada."),
    S_ROW (GW_T_PAGE, "الصفحة", "页", "Page", "Page", "Страница", "Página"),
    S_ROW (GW_T_NEXT, "الصفحة التالية", "下一页", "Next page", "Page suivante",
           "Следующая страница", "Página siguiente"),
    S_ROW (GW_T_PREVIOUS, "الصفحة السابقة", "上一页", "Previous page", "Page précédente",
           "Предыдущая страница", "Página anterior"),
    S_ROW (GW_T_DELEGATION, "الوفد", "代表团", "Delegation", "Délégation", "Делегация",
           "Delegación"),
    S_ROW (GW_T_AGENDA_ITEM, "البند من جدول الأعمال", "议程项目", "Agenda item",
           "Point de l'ordre du jour", "Пункт повестки дня", "Tema del programa"),
    S_ROW (GW_T_DATE, "التاريخ", "日期", "Date", "Date", "Дата", "Fecha"),
    S_ROW (GW_T_RELEVANCE, "الصلة", "相关度", "Relevance", "Pertinence", "Релевантность",
           "Relevancia"),
    S_ROW (GW_T_REVISION, "التنقيح", "修订版", "Revision", "Révision", "Редакция",
           "Revisión"),
    S_ROW (GW_T_FAMILY, "وثائق المجموعة نفسها", "同系列文件", "Documents of the same family",
           "Documents de la même famille", "Документы той же серии",
           "Documentos de la misma familia"),
    S_ROW (GW_T_VERSIONS, "النسخ اللغوية والتنقيحات", "语文版本和修订版",
           "Language versions and revisions", "Versions linguistiques et révisions",
           "Языковые версии и редакции", "Versiones lingüísticas y revisiones"),
    S_ROW (GW_T_CURRENT, "الحالية", "现行", "Current", "En vigueur", "Действующая",
           "Vigente"),
    S_ROW (GW_T_SUPERSEDED, "مستبدلة", "已被取代", "Superseded", "Remplacée", "Заменена",
           "Sustituida"),
    S_ROW (GW_T_RELEASED, "تاريخ الإصدار", "发布时间", "Released", "Publication",
           "Выпущено", "Publicación"),
    S_ROW (GW_T_DATED, "تاريخ الوثيقة", "文件日期", "Dated", "Date du document",
           "Дата документа", "Fecha del documento"),
    S_ROW (GW_T_ORIGINAL, "اللغة الأصلية", "原文语文", "Original language",
           "Langue originale", "Язык оригинала", "Idioma original"),
    S_ROW (GW_T_JOB_NUMBER, "الرقم المرجعي", "编号", "Job number", "Numéro de référence",
           "Номер заказа", "Número de referencia"),
    S_ROW (GW_T_SIZE, "الحجم", "大小", "Size", "Taille", "Размер", "Tamaño"),
    S_ROW (GW_T_BYTES, "بايت", "字节", "bytes", "octets", "байт", "bytes"),
    S_ROW (GW_T_READ, "قراءة", "阅读", "Read", "Lire", "Читать", "Leer"),
    S_ROW (GW_T_DOWNLOAD, "تنزيل", "下载", "Download", "Télécharger", "Скачать", "Descargar"),
    S_ROW (GW_T_TEXT, "النص", "文本", "Text", "Texte", "Текст", "Texto"),
    S_ROW (GW_T_NO_TEXT, "لم يُنشر أي نص مع هذه النسخة.", "此版本未发布文本。",
           "No text was released with this version.",
           "Aucun texte n'a été publié avec cette version.",
           "Текст этой версии не выпущен.", "No se publicó ningún texto con esta versión."),
    S_ROW (GW_T_OUTCOMES, "النتائج المعتمدة التي تستشهد بها", "引用本文件的成果",
           "Outcomes that cite it", "Textes adoptés qui le citent",
           "Итоговые документы, которые на него ссылаются", "Textos aprobados que lo citan"),
    S_ROW (GW_T_STATEMENTS, "البيانات", "发言", "Statements", "Déclarations", "Заявления",
           "Declaraciones"),
    S_ROW (GW_T_NONE, "لا يوجد.", "无。", "None.", "Aucun.", "Нет.", "Ninguno."),
    S_ROW (GW_T_DISTRIBUTION, "التوزيع", "分发", "Distribution", "Distribution",
           "Распространение", "Distribución"),
    S_ROW (GW_T_NOT_FOUND, "غير موجود", "未找到", "Not found", "Introuvable", "Не найдено",
           "No encontrado"),
    S_ROW (GW_T_BAD_REQUEST, "لا يمكن تلبية هذا الطلب", "无法处理此请求",
           "This request cannot be answered", "Cette demande ne peut pas aboutir",
           "Этот запрос не может быть выполнен", "No se puede atender esta solicitud"),
    S_ROW (GW_T_UNAVAILABLE, "الخدمة غير متاحة؛ حاول مرة أخرى بعد قليل",
           "服务暂不可用，请稍后再试", "The service is unavailable; try again shortly",
           "Le service est indisponible ; réessayez dans un instant",
           "Служба недоступна; повторите попытку позже",
           "El servicio no está disponible; inténtelo de nuevo en unos momentos"),
    S_ROW (GW_T_MORE, "عرض الكل في البحث", "在检索中查看全部", "See them all in the search",
           "Les voir tous dans la recherche", "Показать все в поиске",
           "Verlos todos en la búsqueda"),
    S_ROW (GW_T_SYMBOL_HELP, "* لأي أحرف: CCM/MSP/2030/*", "* 代表任意字符：CCM/MSP/2030/*",
           "* for any characters: CCM/MSP/2030/*", "* pour n'importe quels caractères : "
           "CCM/MSP/2030/*", "* — любые символы: CCM/MSP/2030/*",
           "* para cualquier carácter: CCM/MSP/2030/*"),
    S_ROW (GW_T_SECRETARIAT, "الأمانة", "秘书处", "Secretariat", "Secrétariat", "Секретариат",
           "Secretaría"),
    S_ROW (GW_T_SIGN_IN, "تسجيل الدخول", "登录", "Sign in", "Se connecter", "Войти",
           "Iniciar sesión"),
    S_ROW (GW_T_SIGN_OUT, "تسجيل الخروج", "退出", "Sign out", "Se déconnecter", "Выйти",
           "Cerrar sesión"),
    S_ROW (GW_T_USER_NAME, "اسم المستخدم", "用户名", "User name", "Nom d'utilisateur",
           "Имя пользователя", "Nombre de usuario"),
    S_ROW (GW_T_PASSWORD, "كلمة المرور", "密码", "Password", "Mot de passe", "Пароль",
           "Contraseña"),
    S_ROW (GW_T_SIGN_IN_WRONG, "اسم المستخدم أو كلمة المرور غير صحيحة.", "用户名或密码错误。",
           "Wrong user name or password.", "Nom d'utilisateur ou mot de passe incorrect.",
           "Неверное имя пользователя или пароль.", "Nombre de usuario o contraseña incorrectos."),
    S_ROW (GW_T_SIGN_IN_LOCKED, "محاولات فاشلة كثيرة: تسجيل الدخول مقفل لمدة 15 دقيقة.",
           "失败次数过多：登录已锁定 15 分钟。",
           "Too many failed attempts: signing in is locked for 15 minutes.",
           "Trop d'échecs : la connexion est bloquée pendant 15 minutes.",
           "Слишком много неудачных попыток: вход заблокирован на 15 минут.",
           "Demasiados intentos fallidos: el inicio de sesión está bloqueado 15 minutos."),
    S_ROW (GW_T_SIGN_IN_AGAIN, "سجّل الدخول للمتابعة.", "请登录后继续。",
           "Sign in to go on.", "Connectez-vous pour continuer.", "Войдите, чтобы продолжить.",
           "Inicie sesión para continuar."),
    S_ROW (GW_T_SIGNED_IN_AS, "مسجل الدخول باسم", "当前用户", "Signed in as", "Connecté en tant que",
           "Вы вошли как", "Sesión iniciada como"),
    S_ROW (GW_T_FORBIDDEN, "غير مسموح", "不允许", "Not allowed", "Non autorisé", "Не разрешено",
           "No permitido"),
    S_ROW (GW_T_FOCAL_POINT, "جهة الاتصال للوفد", "代表团联络人", "Focal point of the delegation",
           "Correspondant de la délégation", "Координатор делегации",
           "Coordinador de la delegación"),
    S_ROW (GW_T_DASHBOARD, "لوحة المتابعة", "概览", "Dashboard", "Tableau de bord",
           "Сводка", "Panel"),
    S_ROW (GW_T_REGISTRATIONS, "التسجيلات", "登记", "Registrations", "Inscriptions",
           "Регистрации", "Inscripciones"),
    S_ROW (GW_T_PARTICIPANTS, "المشاركون المسجلون أو الموافق عليهم أو المؤكدون",
           "已登记、已批准或已确认的与会者", "Participants registered, approved or confirmed",
           "Participants inscrits, approuvés ou confirmés",
           "Участники зарегистрированные, одобренные или подтвержденные",
           "Participantes inscritos, aprobados o confirmados"),
    S_ROW (GW_T_DELEGATIONS, "الوفود", "代表团", "Delegations", "Délégations", "Делегации",
           "Delegaciones"),
    S_ROW (GW_T_HEADS, "رؤساء الوفود", "代表团团长", "Heads of delegation", "Chefs de délégation",
           "Главы делегаций", "Jefes de delegación"),
    S_ROW (GW_T_SPONSORED, "المشاركون المموَّلون", "受资助的与会者", "Sponsored participants",
           "Participants parrainés", "Спонсируемые участники", "Participantes patrocinados"),
    S_ROW (GW_T_PENDING, "في انتظار قبول وفدهم", "等待其代表团获准", "Awaiting their delegation's admission",
           "En attente de l'admission de leur délégation", "Ожидают допуска своей делегации",
           "A la espera de la admisión de su delegación"),
    S_ROW (GW_T_REJECTED, "مرفوضة", "已拒绝", "Rejected", "Refusées", "Отклонены", "Rechazadas"),
    S_ROW (GW_T_WITHDRAWN, "مسحوبة", "已撤回", "Withdrawn", "Retirées", "Отозваны", "Retiradas"),
    S_ROW (GW_T_BY_CATEGORY, "حسب فئة الوفد", "按代表团类别", "By category of delegation",
           "Par catégorie de délégation", "По категориям делегаций",
           "Por categoría de delegación"),
    S_ROW (GW_T_CATEGORY, "الفئة", "类别", "Category", "Catégorie", "Категория", "Categoría"),
    S_ROW (GW_T_GENDER_BALANCE, "التوازن بين الجنسين", "性别平衡", "Gender balance",
           "Équilibre entre les genres", "Гендерный баланс", "Equilibrio de género"),
    S_ROW (GW_T_GENDER, "الجنس", "性别", "Gender", "Genre", "Пол", "Género"),
    S_ROW (GW_T_ALL_PARTICIPANTS, "جميع المشاركين", "全体与会者", "All participants",
           "Tous les participants", "Все участники", "Todos los participantes"),
    S_ROW (GW_T_CREDENTIALS, "وثائق التفويض", "全权证书", "Credentials", "Pouvoirs",
           "Полномочия", "Credenciales"),
    S_ROW (GW_T_STATES_PARTIES, "الدول الأطراف الممثلة", "有代表出席的缔约国",
           "States Parties represented", "États parties représentés",
           "Представленные государства-участники", "Estados partes representados"),
    S_ROW (GW_T_NO_CREDENTIALS, "لا يوجد تقرير لوثائق التفويض لهذا الاجتماع.",
           "本次会议没有全权证书报告。", "This meeting has no credentials report.",
           "Cette réunion n'a pas de rapport sur les pouvoirs.",
           "Для этого совещания нет доклада о полномочиях.",
           "Esta reunión no tiene informe sobre las credenciales."),
    S_ROW (GW_T_OPEN_DASHBOARD, "لوحة المتابعة", "查看概览", "Open its dashboard",
           "Ouvrir son tableau de bord", "Открыть сводку", "Abrir su panel"),
    S_ROW (GW_T_QUEUE, "التسجيلات في انتظار الموافقة", "待批准的登记",
           "Registrations awaiting approval", "Inscriptions en attente d'approbation",
           "Регистрации, ожидающие утверждения", "Inscripciones pendientes de aprobación"),
    S_ROW (GW_T_OPEN_QUEUE, "التسجيلات في انتظار الموافقة", "待批准的登记",
           "Approval queue", "File d'approbation", "Очередь на утверждение",
           "Cola de aprobación"),
    S_ROW (GW_T_QUEUE_EMPTY, "لا يوجد تسجيل في انتظار الموافقة.", "没有待批准的登记。",
           "No registration awaits approval.", "Aucune inscription n'attend d'approbation.",
           "Нет регистраций, ожидающих утверждения.",
           "Ninguna inscripción espera aprobación."),
    S_ROW (GW_T_NAME, "الاسم", "姓名", "Name", "Nom", "Имя", "Nombre"),
    S_ROW (GW_T_FUNCTION, "الوظيفة", "职能", "Function", "Fonction", "Функция", "Función"),
    S_ROW (GW_T_ACTION, "الإجراء", "操作", "Action", "Action", "Действие", "Acción"),
    S_ROW (GW_T_APPROVE, "موافقة", "批准", "Approve", "Approuver", "Утвердить", "Aprobar"),
    S_ROW (GW_T_CONFIRM, "تأكيد", "确认", "Confirm", "Confirmer", "Подтвердить", "Confirmar"),
    S_ROW (GW_T_REJECT, "رفض", "拒绝", "Reject", "Refuser", "Отклонить", "Rechazar"),
    S_ROW (GW_T_APPLIED, "سُجّل:", "已记录：", "Recorded:", "Enregistré :", "Записано:",
           "Registrado:"),
    S_ROW (GW_T_REFUSED, "رُفض:", "被拒绝：", "Refused:", "Refusé :", "Отклонено:",
           "Rechazado:"),
    S_ROW (GW_T_NO_VERDICT, "سُجّل الطلب وسيُطبَّق قريباً.", "请求已记录，稍后生效。",
           "The request is recorded and will take effect shortly.",
           "La demande est enregistrée et prendra effet sous peu.",
           "Запрос записан и вскоре вступит в силу.",
           "La solicitud está registrada y se aplicará en breve."),
    S_ROW (GW_T_REGISTER, "تسجيل مشارك", "登记与会者", "Register a participant",
           "Inscrire un participant", "Зарегистрировать участника", "Inscribir a un participante"),
    S_ROW (GW_T_FAMILY_NAME, "اسم العائلة", "姓", "Family name", "Nom de famille", "Фамилия",
           "Apellido"),
    S_ROW (GW_T_GIVEN_NAME, "الاسم الأول", "名", "Given names", "Prénoms", "Имя", "Nombre"),
    S_ROW (GW_T_EMAIL, "البريد الإلكتروني", "电子邮件", "E-mail address", "Adresse électronique",
           "Адрес электронной почты", "Correo electrónico"),
    S_ROW (GW_T_SPONSORED_ONE, "ممول من برنامج الرعاية", "由赞助方案资助",
           "Sponsored by the sponsorship programme", "Parrainé par le programme de parrainage",
           "Спонсируется программой спонсорства", "Patrocinado por el programa de patrocinio"),
};

//  The labels of the schema's enumerations.
static const struct {
    const char *field;
    const char *value;
    const char *words [GW_LANGS];
} s_enums [] = {
    { "meeting.kind", "msp", { "اجتماع الدول الأطراف", "缔约国会议",
      "Meeting of States Parties", "Assemblée des États parties",
      "Совещание государств-участников", "Reunión de los Estados Partes" } },
    { "meeting.kind", "revcon", { "المؤتمر الاستعراضي", "审议大会", "Review Conference",
      "Conférence d'examen", "Обзорная конференция", "Conferencia de Examen" } },
    { "meeting.kind", "preparatory", { "اجتماع تحضيري", "筹备会议", "Preparatory meeting",
      "Réunion préparatoire", "Подготовительное совещание", "Reunión preparatoria" } },
    { "meeting.kind", "intersessional", { "اجتماع بين الدورات", "闭会期间会议",
      "Intersessional meeting", "Réunion intersessions", "Межсессионное совещание",
      "Reunión entre períodos de sesiones" } },
    { "meeting.kind", "coordination", { "لجنة التنسيق", "协调委员会",
      "Coordination Committee", "Comité de coordination", "Координационный комитет",
      "Comité de Coordinación" } },
    { "meeting.kind", "committee", { "لجنة", "委员会", "Committee", "Comité", "Комитет",
      "Comité" } },
    { "meeting.kind", "gge", { "فريق الخبراء الحكوميين", "政府专家组",
      "Group of Governmental Experts", "Groupe d'experts gouvernementaux",
      "Группа правительственных экспертов", "Grupo de Expertos Gubernamentales" } },
    { "meeting.kind", "workshop", { "حلقة عمل", "讲习班", "Workshop", "Atelier", "Семинар",
      "Taller" } },
    { "meeting.kind", "side-event", { "حدث جانبي", "会外活动", "Side event",
      "Manifestation parallèle", "Параллельное мероприятие", "Actividad paralela" } },
    { "meeting.kind", "pledging", { "مؤتمر إعلان التبرعات", "认捐会议", "Pledging conference",
      "Conférence d'annonces de contributions", "Конференция по объявлению взносов",
      "Conferencia de promesas de contribuciones" } },
    { "meeting.kind", "other", { "اجتماع", "会议", "Meeting", "Réunion", "Совещание",
      "Reunión" } },
    { "meeting.status", "scheduled", { "مقرر", "已排定", "Scheduled", "Prévue",
      "Запланировано", "Programada" } },
    { "meeting.status", "cancelled", { "أُلغي", "已取消", "Cancelled", "Annulée", "Отменено",
      "Cancelada" } },
    { "meeting.status", "closed", { "اختُتم", "已闭幕", "Closed", "Close", "Закрыто",
      "Clausurada" } },
    { "hit.kind", "document", { "وثيقة", "文件", "Document", "Document", "Документ",
      "Documento" } },
    { "hit.kind", "statement", { "بيان", "发言", "Statement", "Déclaration", "Заявление",
      "Declaración" } },
    { "hit.kind", "outcome", { "نتيجة معتمدة", "成果", "Outcome", "Texte adopté",
      "Итоговый документ", "Texto aprobado" } },
    { "outcome.kind", "decision", { "مقرر", "决定", "Decision", "Décision", "Решение",
      "Decisión" } },
    { "outcome.kind", "final-report", { "التقرير الختامي", "最后报告", "Final report",
      "Rapport final", "Заключительный доклад", "Informe final" } },
    { "outcome.kind", "action-plan", { "خطة عمل", "行动计划", "Action plan",
      "Plan d'action", "План действий", "Plan de acción" } },
    { "outcome.kind", "declaration", { "إعلان", "宣言", "Declaration", "Déclaration",
      "Декларация", "Declaración" } },
    { "outcome.kind", "recommendation", { "توصية", "建议", "Recommendation",
      "Recommandation", "Рекомендация", "Recomendación" } },
    { "outcome.kind", "other", { "نتيجة أخرى", "其他成果", "Other outcome", "Autre texte",
      "Другой документ", "Otro texto" } },
    { "document.status", "advance", { "نسخة مسبقة غير محررة", "未经编辑的预发本",
      "Advance, unedited", "Version préliminaire non éditée",
      "Предварительный, неотредактированный", "Versión anticipada sin editar" } },
    { "document.status", "final", { "نهائية", "定稿", "Final", "Définitive", "Окончательный",
      "Definitiva" } },
    { "distribution", "general", { "عام", "一般分发", "General", "Générale", "Общее",
      "General" } },
    { "distribution", "limited", { "محدود", "限制分发", "Limited", "Limitée", "Ограниченное",
      "Limitada" } },
    { "distribution", "restricted", { "مقيد", "内部分发", "Restricted", "Restreinte",
      "Для служебного пользования", "Reservada" } },
    { "language", "other", { "لغة أخرى", "其他语文", "Other", "Autre", "Другой", "Otro" } },
    { "gender", "f", { "إناث", "女", "Women", "Femmes", "Женщины", "Mujeres" } },
    { "gender", "m", { "ذكور", "男", "Men", "Hommes", "Мужчины", "Hombres" } },
    { "gender", "x", { "آخر", "其他", "Other", "Autre", "Другое", "Otro" } },
    { "gender", "unknown", { "غير مذكور", "未说明", "Not given", "Non indiqué", "Не указано",
      "No indicado" } },
    { "delegation.category", "state-party", { "دول أطراف", "缔约国", "States Parties",
      "États parties", "Государства-участники", "Estados partes" } },
    { "delegation.category", "signatory", { "دول موقعة", "签署国", "Signatories", "Signataires",
      "Подписавшие государства", "Signatarios" } },
    { "delegation.category", "not-party", { "دول غير أطراف", "非缔约国", "States not party",
      "États non parties", "Государства, не являющиеся участниками", "Estados no partes" } },
    { "delegation.category", "organization", { "منظمات دولية", "国际组织",
      "International organizations", "Organisations internationales",
      "Международные организации", "Organizaciones internacionales" } },
    { "delegation.category", "civil-society", { "المجتمع المدني", "民间社会", "Civil society",
      "Société civile", "Гражданское общество", "Sociedad civil" } },
    { "delegation.category", "undeclared", { "غير معلنة", "未申报", "Not declared",
      "Non déclarée", "Не заявлена", "No declarada" } },
    { "credentials.standing", "due-form", { "في الشكل الواجب", "格式妥当", "In due form",
      "En bonne et due forme", "В надлежащей форме", "En buena y debida forma" } },
    { "credentials.standing", "provisional", { "مؤقتة", "临时", "Provisional", "Provisoires",
      "Временные", "Provisionales" } },
    { "credentials.standing", "pending", { "قيد الفحص", "待审查", "Pending", "En attente",
      "На рассмотрении", "Pendientes" } },
    { "credentials.standing", "rejected", { "مرفوضة", "已拒绝", "Rejected", "Refusés",
      "Отклонены", "Rechazadas" } },
    { "credentials.standing", "none", { "بلا وثائق", "无", "None", "Aucun", "Нет", "Ninguna" } },
    { "weekday", "0", { "الأحد", "星期日", "Sunday", "Dimanche", "Воскресенье", "Domingo" } },
    { "weekday", "1", { "الاثنين", "星期一", "Monday", "Lundi", "Понедельник", "Lunes" } },
    { "weekday", "2", { "الثلاثاء", "星期二", "Tuesday", "Mardi", "Вторник", "Martes" } },
    { "weekday", "3", { "الأربعاء", "星期三", "Wednesday", "Mercredi", "Среда", "Miércoles" } },
    { "weekday", "4", { "الخميس", "星期四", "Thursday", "Jeudi", "Четверг", "Jueves" } },
    { "weekday", "5", { "الجمعة", "星期五", "Friday", "Vendredi", "Пятница", "Viernes" } },
    { "weekday", "6", { "السبت", "星期六", "Saturday", "Samedi", "Суббота", "Sábado" } },
};
#define S_ENUMS (sizeof s_enums / sizeof s_enums [0])

const char *
gw_i18n_text (gw_lang_t lang, gw_text_id_t id)
{
    if ((unsigned) id >= GW_T_COUNT)
        return "";
    if ((unsigned) lang < GW_LANGS && s_texts [id][lang])
        return s_texts [id][lang];
    return s_texts [id][GW_LANG_EN] ? s_texts [id][GW_LANG_EN] : "";
}

const char *
gw_i18n_enum (gw_lang_t lang, const char *field, const char *value)
{
    if (!value)
        return "";
    for (size_t i = 0; i < S_ENUMS; i++)
        if (strcmp (s_enums [i].field, field) == 0 && strcmp (s_enums [i].value, value) == 0)
            return (unsigned) lang < GW_LANGS && s_enums [i].words [lang]
                 ? s_enums [i].words [lang] : s_enums [i].words [GW_LANG_EN];
    return value;
}

const char *
gw_i18n_code (gw_lang_t lang)
{
    return (unsigned) lang < GW_LANGS ? s_langs [lang].code : "en";
}

const char *
gw_i18n_name (gw_lang_t lang)
{
    return (unsigned) lang < GW_LANGS ? s_langs [lang].name : "English";
}

int
gw_i18n_rtl (gw_lang_t lang)
{
    return (unsigned) lang < GW_LANGS && s_langs [lang].rtl;
}

int
gw_i18n_find (const char *code, gw_lang_t *lang)
{
    for (int i = 0; code && i < GW_LANGS; i++)
        if (strcmp (s_langs [i].code, code) == 0) {
            *lang = (gw_lang_t) i;
            return 0;
        }
    return -1;
}

//  The weight of one Accept-Language entry's parameters (";q=0.5"), in
//  thousandths: 1000 without q, 0 for a malformed one.
static int
s_weight (const char *params, size_t size)
{
    const char *q = NULL;
    for (size_t i = 0; i + 1 < size; i++)
        if ((params [i] == 'q' || params [i] == 'Q') && params [i + 1] == '=')
            q = params + i + 2;
    if (!q)
        return 1000;
    if (*q == '1')
        return 1000;
    if (*q != '0')
        return 0;
    int weight = 0, scale = 100;
    for (const char *digit = q + 1 + (q [1] == '.'); q [1] == '.' && scale
         && digit < params + size && isdigit ((unsigned char) *digit); digit++, scale /= 10)
        weight += (*digit - '0') * scale;
    return weight;
}

gw_lang_t
gw_i18n_choose (const char *param, const char *accept)
{
    gw_lang_t lang = GW_LANG_EN;
    if (param && gw_i18n_find (param, &lang) == 0)
        return lang;
    int best = 0;
    for (const char *at = accept; at && *at; ) {
        size_t size = strcspn (at, ",");
        size_t tag = strcspn (at, ",;");
        while (tag && (at [0] == ' ' || at [0] == '\t')) {
            at++;
            size--;
            tag--;
        }
        size_t primary = strcspn (at, "-_,; \t");
        int weight = s_weight (at + tag, size - tag);
        for (int i = 0; primary == 2 && i < GW_LANGS; i++)
            if (strncasecmp (at, s_langs [i].code, 2) == 0 && weight > best) {
                best = weight;
                lang = (gw_lang_t) i;
            }
        at += size + (at [size] == ',');
    }
    return lang;
}

//  --------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "gw_i18n_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    return -1; } } while (0)

//  0 when WORDS is a word of the table: UTF-8, no markup, no placeholder.
static int
s_words_ok (const char *words)
{
    char rule [128];
    return words && *words && !strpbrk (words, "<>&%")
        && pl_schema_text_check (words, strlen (words), 0, rule, sizeof rule) == 0 ? 0 : -1;
}

int
gw_i18n_test (int verbose)
{
    for (int id = 0; id < GW_T_COUNT; id++)
        for (int lang = 0; lang < GW_LANGS; lang++)
            if (s_words_ok (s_texts [id][lang])) {
                fprintf (stderr, "gw_i18n_test: text %d in %s is missing or not plain text\n",
                         id, s_langs [lang].code);
                return -1;
            }
    for (size_t i = 0; i < S_ENUMS; i++)
        for (int lang = 0; lang < GW_LANGS; lang++)
            if (s_words_ok (s_enums [i].words [lang])) {
                fprintf (stderr, "gw_i18n_test: %s %s in %s is missing or not plain text\n",
                         s_enums [i].field, s_enums [i].value, s_langs [lang].code);
                return -1;
            }
    //  Every value of the schema's enumerations shown on the pages has a label
    static const struct { const char *message, *field, *label; } shown [] = {
        { "meeting", "kind", "meeting.kind" }, { "meeting", "status", "meeting.status" },
        { "search_hit", "kind", "hit.kind" }, { "search_hit", "outcome_kind", "outcome.kind" },
        { "document_version", "status", "document.status" },
        { "document_version", "distribution", "distribution" },
    };
    for (size_t i = 0; i < sizeof shown / sizeof shown [0]; i++) {
        const pl_field_t *field = pl_schema_field (pl_schema_find (shown [i].message),
                                                   shown [i].field);
        S_CHECK (field && field->values);
        for (const char *const *value = field->values; *value; value++)
            if (gw_i18n_enum (GW_LANG_FR, shown [i].label, *value) == *value) {
                fprintf (stderr, "gw_i18n_test: %s %s has no label\n", shown [i].label, *value);
                return -1;
            }
    }
    S_CHECK (strcmp (gw_i18n_enum (GW_LANG_ZH, "meeting.kind", "msp"), "缔约国会议") == 0);
    S_CHECK (strcmp (gw_i18n_enum (GW_LANG_ZH, "meeting.kind", "new-kind"), "new-kind") == 0);
    S_CHECK (strcmp (gw_i18n_text (GW_LANG_AR, GW_T_SEARCH), "بحث") == 0);
    S_CHECK (gw_i18n_rtl (GW_LANG_AR) && !gw_i18n_rtl (GW_LANG_ZH));

    static const struct { const char *param, *accept, *want; } choices [] = {
        { NULL, NULL, "en" },
        { "ar", "fr", "ar" },
        { "xx", "fr-CH, fr;q=0.9, en;q=0.8", "fr" },
        { NULL, "de-DE,de;q=0.9,ru;q=0.5,en;q=0.4", "ru" },
        { NULL, "zh-CN,zh;q=0.9", "zh" },
        { NULL, "zh-Hant-TW", "zh" },
        { NULL, "en;q=0.1, es;q=0.8", "es" },
        { NULL, "ar;q=0, fr;q=0.2", "fr" },
        { NULL, "ar;q=0", "en" },
        { NULL, "de, ja", "en" },
        { NULL, " ES ;q=1.0", "es" },
        { NULL, "english, fr", "fr" },
        { NULL, ",,;;q=,", "en" },
    };
    for (size_t i = 0; i < sizeof choices / sizeof choices [0]; i++) {
        const char *got = gw_i18n_code (gw_i18n_choose (choices [i].param, choices [i].accept));
        if (strcmp (got, choices [i].want)) {
            fprintf (stderr, "gw_i18n_test: lang=%s Accept-Language: %s gave %s, want %s\n",
                     choices [i].param ? choices [i].param : "-",
                     choices [i].accept ? choices [i].accept : "-", got, choices [i].want);
            return -1;
        }
    }
    if (verbose)
        printf ("gw_i18n_test: ok (%d texts, %zu labels, %d languages)\n", GW_T_COUNT, S_ENUMS,
                GW_LANGS);
    return 0;
}
